import type { ScalarSpec } from './operators.js';
import * as ScalarCode from './scalar-code.js';

/**
 * What an inlinable operator holds for, on a scalar value (not an object; `undefined` when
 * missing): the one definition, which the operator's test calls and the compiled steps decide
 * inline, without an indirect call.
 */
export function decideScalar(spec: ScalarSpec, code: number, v: unknown): boolean {
  switch (code) {
    case ScalarCode.Eq:
      return v === spec.value;
    case ScalarCode.NumGt:
      return typeof v === 'number' && v > (spec.value as number);
    case ScalarCode.NumGte:
      return typeof v === 'number' && v >= (spec.value as number);
    case ScalarCode.NumLt:
      return typeof v === 'number' && v < (spec.value as number);
    case ScalarCode.NumLte:
      return typeof v === 'number' && v <= (spec.value as number);
    case ScalarCode.StrGt:
      return typeof v === 'string' && v > (spec.value as string);
    case ScalarCode.StrGte:
      return typeof v === 'string' && v >= (spec.value as string);
    case ScalarCode.StrLt:
      return typeof v === 'string' && v < (spec.value as string);
    case ScalarCode.StrLte:
      return typeof v === 'string' && v <= (spec.value as string);
    case ScalarCode.InList: {
      const list = spec.list!;
      for (let i = 0; i < list.length; i++) if (list[i] === v) return true;
      return false;
    }
    case ScalarCode.InSet:
      return spec.set!.has(v);
    case ScalarCode.Regex:
      return typeof v === 'string' && spec.match!(v);
    default:
      return false;
  }
}
