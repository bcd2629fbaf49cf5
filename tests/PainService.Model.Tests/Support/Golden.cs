using System.Text.Json;
using PainService.Testing;

namespace PainService.Model.Tests.Support;

/// <summary>Readers for ../shared/golden.</summary>
internal static class Golden
{
    private static readonly Dictionary<string, JsonElement> Cache = new();

    public static JsonElement Json(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var root))
                Cache[file] = root = JsonDocument.Parse(File.ReadAllText(RepoPaths.Golden(file))).RootElement;
            return root;
        }
    }

    public sealed record KeyRow(int Index, string Key, long[] Shape, string Dtype, string Formula, bool InStage1);

    public static IReadOnlyList<KeyRow> Keys(string file) =>
        File.ReadLines(RepoPaths.Golden(file)).Skip(1).Where(l => l.Length > 0).Select((line, i) =>
        {
            var c = line.Split('\t');
            // state_dict_keys.tsv: index key shape dtype numel in_stage1 formula; _stage1.tsv: index key shape dtype
            // numel in_pain_model; the MEFL file: key shape dtype.
            var offset = c.Length >= 6 ? 1 : 0;
            var shape = c[offset + 1] == "scalar" ? [] : c[offset + 1].Split('x').Select(long.Parse).ToArray();
            return new KeyRow(i, c[offset], shape, c[offset + 2], c.Length >= 7 ? c[6] : "", c.Length >= 7 && c[5] == "yes");
        }).ToList();

    public static double[] Doubles(this JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Doubles).ToArray() : [e.GetDouble()];

    public static long[] Longs(this JsonElement e) => e.EnumerateArray().Select(x => x.GetInt64()).ToArray();
}
