// Node runs the scripts (and bench/) by stripping types, which leaves the `.js` specifiers of the project's ESM
// style pointing at files that do not exist: resolve them to their `.ts` sources instead. Import this first,
// through a variable (`const resolver = '…/ts-resolve.ts'; await import(resolver)`, which tsc leaves be), then
// import dynamically anything that uses such specifiers.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});
