using PainService.Model.Tests.Support;
using PainService.Model.Weights;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

/// <summary>The formulas of WEIGHTS.md against its worked numbers (weights_selfcheck.json), all of them.</summary>
public sealed class FormulaWeightsTests
{
    [Fact]
    public void HashChecksOfWeightsMdHold()
    {
        Assert.Equal(0xcbf29ce484222325UL, FormulaHash.Fnv1a64(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, FormulaHash.Fnv1a64("a"));
        Assert.Equal(0xe220a8397b1dcdafUL, FormulaHash.SplitMix64(0));
        Assert.Equal(0x910a2dec89025cc1UL, FormulaHash.SplitMix64(1));
    }

    [Fact]
    public void EveryWorkedWeightMatchesBitForBit()
    {
        foreach (var entry in Golden.Json("weights_selfcheck.json").GetProperty("worked").EnumerateObject())
        {
            var key = entry.Name;
            var w = entry.Value;
            var shape = w.GetProperty("shape").Longs();
            var hash = FormulaHash.Fnv1a64(key);
            Assert.Equal(Convert.ToUInt64(w.GetProperty("fnv1a64").GetString(), 16), hash);
            Assert.Equal(Convert.ToUInt64(w.GetProperty("splitmix64_i0").GetString(), 16), FormulaHash.SplitMix64(hash));
            var u = w.GetProperty("u_first5").Doubles();
            for (var i = 0; i < u.Length; i++)
                Assert.Equal(u[i], FormulaHash.U(key, i));

            var values = key.EndsWith("num_batches_tracked") ? [0f] : FormulaWeights.Values(key, shape);
            var first = w.GetProperty("value_first5").Doubles();
            for (var i = 0; i < first.Length; i++)
                Assert.Equal(first[i], (double)values[i]);
            Assert.Equal(w.GetProperty("sum_float64").GetDouble(), values.Sum(v => (double)v), 9);
        }
    }

    [Fact]
    public void RulesMatchTheFormulaColumnOfTheKeysFile()
    {
        foreach (var row in Golden.Keys("state_dict_keys.tsv"))
            Assert.Equal(row.Formula, FormulaWeights.RuleOf(row.Key, row.Shape));
    }

    [Fact]
    public void WholePainModelSumMatches()
    {
        using var net = FormulaWeights.Apply(new GraphAuPainNet(new GraphAuConfig()));
        var sum = 0.0;
        foreach (var (_, t) in net.state_dict())
        {
            using var d = t.to_type(ScalarType.Float64);
            sum += d.sum().item<double>();
        }
        var expected = Golden.Json("weights_selfcheck.json").GetProperty("all_params_sum_float64").GetDouble();
        Assert.Equal(expected, sum, 6);
    }

    [Fact]
    public void InputFormulaMatchesWorkedNumbers()
    {
        var check = Golden.Json("weights_selfcheck.json");
        Assert.Equal("x7", check.GetProperty("input_name").GetString());
        var image0 = FormulaInput.Image(0);
        var image1 = FormulaInput.Image(1);
        Assert.Equal(check.GetProperty("input_first5_image0").Doubles(), image0.Take(5).Select(v => (double)v));
        Assert.Equal(check.GetProperty("input_first5_image1").Doubles(), image1.Take(5).Select(v => (double)v));
        foreach (var p in check.GetProperty("input_positions").EnumerateArray())
        {
            int n = p.GetProperty("n").GetInt32(), c = p.GetProperty("c").GetInt32(), y = p.GetProperty("y").GetInt32(), x = p.GetProperty("x").GetInt32();
            Assert.Equal(p.GetProperty("value").GetDouble(), (double)FormulaInput.Image(n)[(c * 172 + y) * 172 + x]);
        }
        var aux = check.GetProperty("input_aux");
        Assert.Equal(aux.GetProperty("u_mean_first12").Doubles(), Enumerable.Range(0, 12).Select(i => FormulaHash.U("x7_mean", i)));
        Assert.Equal(aux.GetProperty("u_ramp_first4").Doubles(), Enumerable.Range(0, 4).Select(i => FormulaHash.U("x7_ramp", i)));
        var sums = check.GetProperty("input_sums_float64_per_image").Doubles();
        for (var n = 0; n < 4; n++)
            Assert.Equal(sums[n], FormulaInput.Image(n).Sum(v => (double)v), 8);
    }
}
