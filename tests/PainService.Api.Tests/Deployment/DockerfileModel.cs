using System.Text.RegularExpressions;
using PainService.Testing;

namespace PainService.Api.Tests.Deployment;

/// <summary>One Dockerfile instruction with its continuation lines joined, e.g. ("COPY", "src/ src/").</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, string Stage);

/// <summary>
/// Just enough of a Dockerfile parser to keep the file honest: instructions per stage, continuation lines
/// joined, comments dropped. No Docker engine runs on the build machines, so this is the check there is.
/// </summary>
internal static partial class DockerfileModel
{
    public static string Text { get; } = File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile"));

    public static IReadOnlyList<DockerInstruction> Instructions { get; } = Parse(Text);

    public static IEnumerable<DockerInstruction> InStage(string stage) => Instructions.Where(i => i.Stage == stage);

    public static IEnumerable<string> Stages => Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Stage);

    private static List<DockerInstruction> Parse(string text)
    {
        var result = new List<DockerInstruction>();
        var stage = "";
        var pending = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (pending.Length == 0 && line.TrimStart().StartsWith('#'))
                continue;
            if (line.TrimStart().StartsWith('#'))
                continue; // a comment inside a continued instruction
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var full = (pending + line).Trim();
            pending = "";
            if (full.Length == 0)
                continue;
            var space = full.IndexOf(' ');
            var keyword = (space < 0 ? full : full[..space]).ToUpperInvariant();
            var args = space < 0 ? "" : Whitespace().Replace(full[(space + 1)..].Trim(), " ");
            if (keyword == "FROM")
            {
                var alias = FromAlias().Match(args);
                stage = alias.Success ? alias.Groups[1].Value : "";
            }
            result.Add(new DockerInstruction(keyword, args, stage));
        }
        return result;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\bAS\s+(\S+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FromAlias();
}
