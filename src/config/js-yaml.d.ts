// The one function of js-yaml that ti-check calls (src/config/load.ts); the package ships no types.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
