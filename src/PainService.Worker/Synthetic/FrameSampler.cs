namespace PainService.Worker.Synthetic;

/// <summary>
/// Draws the AUs of one frame: first a pain level with the configured shares, then intensities consistent with it
/// (PSPI 0, 1–4 or ≥ 5 under the 3-level scheme). Pain-free frames still show non-pain AUs (smiles, brow raises,
/// talking) so AU activity alone does not give the label away.
/// </summary>
public static class FrameSampler
{
    public static FaceActions Sample(Random rng, SynthOptions options)
    {
        var u = rng.NextDouble();
        var level = u < options.NoPainShare ? 0 : u < 1 - options.ObviousShare ? 1 : 2;
        var au1 = rng.NextDouble() < 0.2 ? rng.Next(1, 4) : 0;
        var au2 = au1 > 0 && rng.NextDouble() < 0.8 ? rng.Next(1, 4) : 0;
        var au12 = rng.NextDouble() < (level == 0 ? 0.3 : 0.2) ? rng.Next(1, 4) : 0;
        var au25 = rng.NextDouble() < (level == 2 ? 0.5 : 0.25) ? rng.Next(1, 3) : 0;
        var au26 = rng.NextDouble() < (level == 2 ? 0.35 : 0.15) ? rng.Next(1, 3) : 0;
        if (level == 0)
            return new FaceActions(au1, au2, 0, 0, 0, au12, au25, au26, 0);
        while (true)
        {
            var candidate = level == 1
                ? new FaceActions(au1, au2, rng.Next(0, 4), rng.Next(0, 4), rng.Next(0, 3), au12, au25, au26, rng.NextDouble() < 0.1 ? 1 : 0)
                : new FaceActions(au1, au2, rng.Next(2, 6), rng.Next(2, 6), rng.Next(0, 5), au12, au25, au26, rng.NextDouble() < 0.4 ? 1 : 0);
            if (level == 1 ? candidate.Pspi is >= 1 and <= 4 : candidate.Pspi >= 5)
                return candidate;
        }
    }
}
