import { expect, it } from 'vitest';
import { lastJsonObject } from './last-json.ts';

it('takes the JSON object on the last line and nothing else', () => {
  expect(lastJsonObject('warming up\n{"p95_ms": 12}\n')).toEqual({ p95_ms: 12 });
  expect(lastJsonObject('{"p95_ms": 12}\ndone')).toBeNull();
  expect(lastJsonObject('[1, 2]')).toBeNull();
  expect(lastJsonObject('null')).toBeNull();
  expect(lastJsonObject('')).toBeNull();
});
