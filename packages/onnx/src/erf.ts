/**
 * The complementary error function `erfc(x) = 1 − erf(x)`, with a relative error below 1.2·10⁻⁷ for every `x`: the
 * Chebyshev fit `erfcc` of Press, Teukolsky, Vetterling and Flannery, "Numerical Recipes in C", 2nd ed., §6.2. A
 * relative bound on `erfc` (not only an absolute one on `erf`) keeps `Φ(x) = erfc(−x/√2)/2` accurate in the far
 * negative tail, where GELU's output is tiny. @internal
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The error function, `erf(x) = 1 − erfc(x)`. @internal */
export function erf(x: number): number {
  return 1 - erfc(x);
}

/** The standard normal CDF, `Φ(x) = erfc(−x/√2)/2`. @internal */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}
