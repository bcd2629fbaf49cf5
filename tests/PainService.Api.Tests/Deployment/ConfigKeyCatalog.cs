using System.Text.Json;
using System.Text.RegularExpressions;
using PainService.Testing;

namespace PainService.Api.Tests.Deployment;

/// <summary>
/// Answers "is this environment variable a configuration key the code really reads?". A variable
/// <c>Section__Key</c> is .NET configuration's <c>Section:Key</c>; it counts as real when the root appsettings.json
/// has that path, or when an Options class in src/ declares <c>SectionName = "Section"</c> and a property Key.
/// </summary>
internal static partial class ConfigKeyCatalog
{
    /// <summary>Variables read by the runtime or native libraries rather than by our configuration binding.</summary>
    public static readonly IReadOnlySet<string> RuntimeVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS", "DOTNET_ENVIRONMENT",
        "DOTNET_gcServer", "OMP_WAIT_POLICY", "OMP_NUM_THREADS",
    };

    private static readonly Lazy<JsonElement> AppSettings = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "appsettings.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement);

    private static readonly Lazy<IReadOnlyList<string>> Sources = new(() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText).ToArray());

    public static bool IsKnown(string variable) =>
        RuntimeVariables.Contains(variable) || InAppSettings(variable) || InOptionsClass(variable);

    public static bool InAppSettings(string variable)
    {
        var node = AppSettings.Value;
        foreach (var part in variable.Split("__"))
        {
            if (node.ValueKind == JsonValueKind.Array && int.TryParse(part, out var index))
            {
                if (index >= node.GetArrayLength())
                    return false;
                node = node[index];
                continue;
            }
            if (node.ValueKind != JsonValueKind.Object)
                return false;
            var match = node.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase));
            if (match.Value.ValueKind == JsonValueKind.Undefined)
                return false;
            node = match.Value;
        }
        return true;
    }

    public static bool InOptionsClass(string variable)
    {
        var parts = variable.Split("__");
        if (parts.Length < 2)
            return false;
        var section = $"SectionName = \"{parts[0]}\"";
        var property = new Regex($@"\bpublic\s+[^\s(]+\s+{Regex.Escape(parts[1])}\s*\{{", RegexOptions.IgnoreCase);
        return Sources.Value.Any(source => source.Contains(section, StringComparison.Ordinal) && property.IsMatch(source));
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(__[A-Za-z0-9]+)+$")]
    public static partial Regex ConfigurationVariable();
}
