using PainService.Model.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;

namespace PainService.Model.Tests;

public sealed class StateDictKeyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("state_dict_keys.tsv", false)]
    [InlineData("state_dict_keys_stage1.tsv", true)]
    public void StateDictKeysShapesDtypesAndOrderMatchTheReference(string file, bool stage1)
    {
        var expected = Golden.Keys(file);
        using torch.nn.Module net = stage1 ? new GraphAuNet(new GraphAuConfig()) : new GraphAuPainNet(new GraphAuConfig());
        var actual = net.state_dict().Select(kv => (kv.Key, Shape: kv.Value.shape, Dtype: kv.Value.dtype.ToString())).ToList();

        var missing = expected.Select(e => e.Key).Except(actual.Select(a => a.Key)).ToList();
        var extra = actual.Select(a => a.Key).Except(expected.Select(e => e.Key)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", extra)}");

        foreach (var e in expected)
        {
            var a = actual.Single(x => x.Key == e.Key);
            Assert.True(e.Shape.SequenceEqual(a.Shape), $"{e.Key}: shape [{string.Join(",", a.Shape)}], expected [{string.Join(",", e.Shape)}]");
            Assert.Equal(e.Dtype == "int64" ? "Int64" : "Float32", a.Dtype);
        }

        // TorchSharp lists all parameters, then all buffers; each group must keep the reference's relative order.
        var parameterKeys = net.named_parameters().Select(p => p.name).ToList();
        var bufferKeys = net.named_buffers().Select(b => b.name).ToList();
        Assert.Equal(expected.Select(e => e.Key).Where(parameterKeys.Contains), parameterKeys);
        Assert.Equal(expected.Select(e => e.Key).Where(bufferKeys.Contains), bufferKeys);
        Assert.Equal(parameterKeys.Concat(bufferKeys), actual.Select(a => a.Key));
        output.WriteLine($"{file}: {expected.Count} keys ({parameterKeys.Count} parameters, {bufferKeys.Count} buffers) match");
    }

    [Fact]
    public void ParameterCountsMatchSpecSection47()
    {
        using var pain = new GraphAuPainNet(new GraphAuConfig());
        using var stage1 = new GraphAuNet(new GraphAuConfig());
        Assert.Equal(27_289_783, pain.parameters().Sum(p => p.numel()));
        Assert.Equal(27_197_008, stage1.parameters().Sum(p => p.numel()));
        Assert.Equal(23_508_032, pain.backbone.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(2, 2)]
    public void OtherSchemesOnlyChangeTheClassifier(int classes, int expectedRows)
    {
        using var net = new GraphAuPainNet(new GraphAuConfig { ClassCount = classes });
        Assert.Equal(new long[] { expectedRows, 72 }, net.state_dict()["fc.weight"].shape);
    }

    [Fact]
    public void AnInputSizeThatBreaksFcAuFailsFast()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GraphAuConfig { InputSize = 224 }.ValidatePainModel());
        Assert.Contains("49", ex.Message);
        Assert.Equal(36, new GraphAuConfig().PositionCount);
        Assert.Equal(49, new GraphAuConfig { InputSize = 224, FusionWidth = 49 }.ValidatePainModel().PositionCount);
    }
}
