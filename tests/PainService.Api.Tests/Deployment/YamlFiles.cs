using PainService.Testing;
using YamlDotNet.RepresentationModel;

namespace PainService.Api.Tests.Deployment;

/// <summary>The deployment YAML files of the repository, parsed with a real YAML parser.</summary>
internal static class YamlFiles
{
    public const string Compose = "docker-compose.yml";

    /// <summary>Every YAML file under deploy/ plus the compose file, as repo-relative paths.</summary>
    public static IReadOnlyList<string> All { get; } =
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "deploy"), "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(RepoPaths.Root, p).Replace('\\', '/'))
            .Append(Compose)
            .Order(StringComparer.Ordinal)
            .ToArray();

    public static IEnumerable<string> Kubernetes => All.Where(p => p.StartsWith("deploy/k8s/", StringComparison.Ordinal));

    /// <summary>Parses every document of a file (Kubernetes files may hold several).</summary>
    public static IReadOnlyList<YamlMappingNode> Load(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, relativePath)))
            stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToArray();
    }

    public static YamlMappingNode LoadSingle(string relativePath) => Assert.Single(Load(relativePath));

    public static YamlNode? Child(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var key in path)
            current = current?.Child(key);
        return current;
    }

    public static string? Scalar(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode seq ? seq.Children : [];

    /// <summary>Entries of a mapping; YAML merge keys (&lt;&lt;: *anchor, as compose files use) are flattened in.</summary>
    public static IEnumerable<KeyValuePair<string, YamlNode>> Entries(this YamlNode? node)
    {
        if (node is not YamlMappingNode map)
            yield break;
        foreach (var (key, value) in map.Children)
        {
            var name = key.Scalar() ?? "";
            if (name == "<<")
                foreach (var merged in value.Entries())
                    yield return merged;
            else
                yield return new(name, value);
        }
    }

    /// <summary>Depth-first walk yielding every mapping entry with its key, for "find every httpGet" style checks.</summary>
    public static IEnumerable<KeyValuePair<string, YamlNode>> Descendants(this YamlNode node)
    {
        foreach (var child in node switch
                 {
                     YamlMappingNode map => map.Children.Select(kv => new KeyValuePair<string, YamlNode>(kv.Key.Scalar() ?? "", kv.Value)),
                     YamlSequenceNode seq => seq.Children.Select(c => new KeyValuePair<string, YamlNode>("", c)),
                     _ => [],
                 })
        {
            if (child.Key.Length > 0)
                yield return child;
            foreach (var deeper in child.Value.Descendants())
                yield return deeper;
        }
    }
}
