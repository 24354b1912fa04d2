namespace Clinical.Models.Scoring;

/// <summary>
/// Logistic regression by Newton–Raphson (IRLS) with a small ridge penalty; the columns are few (≤ 4), so the
/// Hessian is solved directly.
/// </summary>
internal static class LogisticFit
{
    public static double[] Fit(
        IReadOnlyList<double[]> rows,
        IReadOnlyList<bool> labels,
        double ridge = 1e-3,
        int iterations = 50
    )
    {
        var k = rows[0].Length + 1;
        var w = new double[k];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var gradient = new double[k];
            var hessian = new double[k, k];
            for (var i = 0; i < rows.Count; i++)
            {
                var x = Design(rows[i]);
                var p = Sigmoid(Dot(w, x));
                var y = labels[i] ? 1.0 : 0.0;
                for (var a = 0; a < k; a++)
                {
                    gradient[a] += (p - y) * x[a];
                    for (var b = 0; b < k; b++)
                        hessian[a, b] += p * (1 - p) * x[a] * x[b];
                }
            }
            for (var a = 1; a < k; a++)
            {
                gradient[a] += ridge * rows.Count * w[a];
                hessian[a, a] += ridge * rows.Count;
            }
            for (var a = 0; a < k; a++)
                hessian[a, a] += 1e-9;
            var step = Solve(hessian, gradient);
            for (var a = 0; a < k; a++)
                w[a] -= step[a];
            if (step.Max(Math.Abs) < 1e-8)
                break;
        }
        return w;
    }

    public static double Predict(double[] weights, double[] row) => Sigmoid(Dot(weights, Design(row)));

    public static double Logit(double p)
    {
        var q = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(q / (1 - q));
    }

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double[] Design(double[] row) => [1.0, .. row];

    private static double Dot(double[] w, double[] x) => w.Zip(x, (a, b) => a * b).Sum();

    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = new double[n, n + 1];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
                m[i, j] = a[i, j];
            m[i, n] = b[i];
        }
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (var j = 0; j <= n; j++)
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            for (var r = 0; r < n; r++)
            {
                if (r == col || m[col, col] == 0)
                    continue;
                var f = m[r, col] / m[col, col];
                for (var j = col; j <= n; j++)
                    m[r, j] -= f * m[col, j];
            }
        }
        return Enumerable.Range(0, n).Select(i => m[i, i] == 0 ? 0 : m[i, n] / m[i, i]).ToArray();
    }
}
