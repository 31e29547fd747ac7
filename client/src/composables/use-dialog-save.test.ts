import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { ApiError } from '../api/rest';
import { firstField, issuePath, refusalOf, useDialogSave, type Refusal, type RefusalRules } from './use-dialog-save';

/** A promise the test settles by hand (no timers). */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const WORDS: Record<string, string> = { required: '必填', invalid: '内容不完整或有误' };
const said = (err: unknown): string => (err instanceof ApiError ? `被拒绝（${err.status}）` : '出错了');
const zodRefusal = (path: (string | number)[]) => new ApiError('bad', 400, { body: { issues: [{ path, message: 'x' }] } });

/** A dialog over a reactive problems map; `sends` holds each send's deferred, `closed` counts closes. */
function dialog(options: { rules?: RefusalRules; ready?: () => boolean } = {}) {
  const problems = ref<Record<string, string>>({});
  const sends: ReturnType<typeof deferred>[] = [];
  let closed = 0;
  const form = useDialogSave({
    problems: () => problems.value,
    words: (key) => WORDS[key] ?? key,
    send: () => {
      const d = deferred();
      sends.push(d);
      return d.promise;
    },
    close: () => (closed += 1),
    refusal: (err) => refusalOf(err, options.rules ?? { words: said }),
    ...(options.ready ? { ready: options.ready } : {}),
  });
  return { form, problems, sends, closed: () => closed };
}

describe('useDialogSave', () => {
  it('is busy while the request runs, sends once however often clicked, and closes on success', async () => {
    const { form, sends, closed } = dialog();
    expect(form.busy.value).toBe(false);
    const saving = form.save();
    expect(form.busy.value).toBe(true);
    expect(await form.save()).toBe(false); // a second click while busy sends nothing
    expect(sends).toHaveLength(1);
    sends[0]?.resolve();
    expect(await saving).toBe(true);
    expect(form.busy.value).toBe(false);
    expect(closed()).toBe(1);
    expect(form.general.value).toBe('');
  });

  it('sends nothing while the form has problems: each shows by its field once submitted or left', async () => {
    const { form, problems, sends, closed } = dialog();
    problems.value = { name: 'required', id: 'required' };
    form.touch('name');
    expect(form.fieldError('name')).toBe('必填');
    expect(form.fieldError('id')).toBe(''); // not left yet, not submitted
    expect(await form.save()).toBe(false);
    expect(sends).toHaveLength(0);
    expect(form.busy.value).toBe(false);
    expect(form.fieldError('id')).toBe('必填');
    expect(closed()).toBe(0);
  });

  it('a form-wide problem shows under the form once submitted', async () => {
    const { form, problems } = dialog();
    problems.value = { form: 'invalid' };
    expect(form.general.value).toBe('');
    await form.save();
    expect(form.general.value).toBe('内容不完整或有误');
  });

  it('maps a refusal to its field and a general message, stays open, and forgets it when the field is left', async () => {
    const { form, sends, closed } = dialog({ rules: { words: said, fieldOf: firstField } });
    const saving = form.save();
    sends[0]?.reject(zodRefusal(['mn', 0]));
    expect(await saving).toBe(false);
    const expected: Refusal = { field: 'mn', message: '被拒绝（400）' };
    expect(form.refusal.value).toEqual(expected);
    expect(form.fieldError('mn')).toBe('被拒绝（400）');
    expect(form.fieldError('name')).toBe('');
    expect(form.general.value).toBe('被拒绝（400）');
    expect(form.busy.value).toBe(false);
    expect(closed()).toBe(0);
    form.forget('name');
    expect(form.refusal.value).toEqual(expected);
    form.forget('mn');
    expect(form.general.value).toBe('');
  });

  it('a new attempt clears the last refusal; reset clears everything', async () => {
    const { form, problems, sends } = dialog();
    const first = form.save();
    sends[0]?.reject(new ApiError('down', 503));
    await first;
    expect(form.general.value).toBe('被拒绝（503）');
    const second = form.save();
    expect(form.general.value).toBe('');
    sends[1]?.reject(new Error('boom'));
    await second;
    expect(form.general.value).toBe('出错了');
    problems.value = { name: 'required' };
    form.touch('name');
    form.reset();
    expect(form.general.value).toBe('');
    expect(form.submitted.value).toBe(false);
    expect(form.fieldError('name')).toBe('');
  });

  it('sends nothing while not ready (no user chosen)', async () => {
    const ready = ref(false);
    const { form, sends } = dialog({ ready: () => ready.value });
    expect(await form.save()).toBe(false);
    expect(sends).toHaveLength(0);
    expect(form.submitted.value).toBe(true);
  });
});

describe('refusalOf', () => {
  const conflict: Refusal = { field: 'id', message: '编号已存在' };
  it.each([
    { name: 'a conflict in its own words', err: new ApiError('dup', 409), rules: { conflict }, expected: conflict },
    {
      name: 'a conflict without own words',
      err: new ApiError('dup', 409),
      rules: {},
      expected: { field: null, message: '被拒绝（409）' },
    },
    {
      name: 'a zod issue by its first field',
      err: zodRefusal(['lat']),
      rules: { fieldOf: firstField, conflict },
      expected: { field: 'lat', message: '被拒绝（400）' },
    },
    {
      name: "the server's `field: …`",
      err: new ApiError('bad', 400, { field: 'to' }),
      rules: { fieldOf: firstField },
      expected: { field: 'to', message: '被拒绝（400）' },
    },
    {
      name: 'a field the form does not map',
      err: zodRefusal(['lat']),
      rules: {},
      expected: { field: null, message: '被拒绝（400）' },
    },
    {
      name: 'a path mapped by the form',
      err: zodRefusal(['industry', 'name']),
      rules: { fieldOf: (p: readonly (string | number)[] | null) => (p?.[0] === 'industry' ? 'industryName' : null) },
      expected: { field: 'industryName', message: '被拒绝（400）' },
    },
    { name: 'not a refusal at all', err: new TypeError('x'), rules: { fieldOf: firstField }, expected: { field: null, message: '出错了' } },
  ])('$name', ({ err, rules, expected }) => {
    expect(refusalOf(err, { words: said, ...rules })).toEqual(expected);
  });

  it('reads the issue path of a refusal', () => {
    expect(issuePath(zodRefusal(['contacts', 1, 'phone']))).toEqual(['contacts', 1, 'phone']);
    expect(issuePath(new ApiError('bad', 400, { field: 'to' }))).toEqual(['to']);
    expect(issuePath(new ApiError('bad', 400))).toBeNull();
    expect(issuePath(new Error('x'))).toBeNull();
    expect(firstField([0, 'a'])).toBeNull();
    expect(firstField(null)).toBeNull();
  });
});
