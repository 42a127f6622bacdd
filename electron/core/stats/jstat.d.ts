// Types for the part of jstat (a CommonJS module without typings) that the OLS engine calls.
declare module 'jstat' {
  interface JStat {
    /** ln Γ(x) for x > 0 (Zhang & Jin's Stirling series, double precision). */
    loggam(x: number): number;
    studentt: { inv(p: number, dof: number): number };
    normal: { inv(p: number, mean: number, std: number): number };
  }
  const jStat: JStat;
  export default jStat;
}
