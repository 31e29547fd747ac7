import { describe, expect, it } from 'vitest';
import { firstScreenCards, gridColumns } from './use-grid-columns';

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

describe('cards a windowed grid renders first (336 px rows, 2 rows of overscan)', () => {
  it.each([
    { window: '1600 × 950', width: 1600, height: 950, cards: 5 * (3 + 2) },
    { window: '1920 × 1080', width: 1920, height: 1080, cards: 6 * (4 + 2) },
    { window: '400 × 700', width: 400, height: 700, cards: 1 * (3 + 2) },
  ])('$window → $cards', ({ width, height, cards }) => expect(firstScreenCards(width, height)).toBe(cards));
});
