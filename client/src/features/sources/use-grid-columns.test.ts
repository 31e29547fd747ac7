import { describe, expect, it } from 'vitest';
import { gridColumns } from './use-grid-columns';

describe('columns of a windowed card grid (minmax 280 px, 12 px gaps, 12 px padding)', () => {
  it.each([
    [0, 1],
    [200, 1],
    [303, 1],
    [595, 1],
    [596, 2],
    [1200, 4],
    [1600, 5],
  ])('%i px wide → %i columns', (width, columns) => expect(gridColumns(width, 280, 12)).toBe(columns));
});
