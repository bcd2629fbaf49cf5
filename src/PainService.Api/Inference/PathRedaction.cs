using System.Text.RegularExpressions;

namespace PainService.Api.Inference;

/// <summary>
/// Replaces absolute file paths in a text with their file names: readiness reasons are shown by the public
/// /health/ready and in 503 problem details, and the machine's directory layout (mount points, user names) is not
/// the public's business. The full paths stay in the log, where the exception is written whole.
/// </summary>
public static partial class PathRedaction
{
    public static string Apply(string text)
    {
        var quotedDone = Quoted().Replace(text, m => m.Groups["q"].Value + FileName(m.Groups["path"].Value) + m.Groups["q"].Value);
        return Bare().Replace(quotedDone, m => FileName(m.Groups["path"].Value));
    }

    private static string FileName(string path)
    {
        var trimmed = path.Replace('\\', '/').TrimEnd('/');
        var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return name.Length > 0 ? name : "…";
    }

    // An absolute path in quotes ('…', "…", `…`): it may hold spaces.
    [GeneratedRegex(@"(?<q>['""`])(?<path>(?:/|[A-Za-z]:[\\/])[^'""`\r\n]*)\k<q>")]
    private static partial Regex Quoted();

    // A bare absolute path: starts a token (not inside a relative path, a word or a URL) and runs to whitespace or
    // punctuation that cannot end a path here.
    [GeneratedRegex(@"(?<![\w.~:/\\-])(?<path>(?:/|[A-Za-z]:[\\/])[^\s'""`,;()<>\[\]]+)")]
    private static partial Regex Bare();
}
