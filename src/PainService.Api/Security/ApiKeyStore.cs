using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PainService.Api.Security;

/// <summary>The known API keys by hash. Built once at start-up; a malformed entry stops the start with a clear error.</summary>
public sealed class ApiKeyStore
{
    public const string PredictRole = "predict";
    public const string AdminRole = "admin";
    private static readonly string[] KnownRoles = [PredictRole, AdminRole];

    private readonly Dictionary<string, ApiKeyEntry> _byHash = new(StringComparer.Ordinal);

    public ApiKeyStore(IOptions<AuthOptions> options)
    {
        foreach (var entry in options.Value.ApiKeys)
            Add(entry, "Auth:ApiKeys");
        if (!string.IsNullOrWhiteSpace(options.Value.ApiKeysFile))
            foreach (var entry in ReadFile(options.Value.ApiKeysFile))
                Add(entry, options.Value.ApiKeysFile);
    }

    public int Count => _byHash.Count;

    /// <summary>The entry for a presented key, or null.</summary>
    public ApiKeyEntry? Find(string presentedKey) => _byHash.GetValueOrDefault(Hash(presentedKey));

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes: what the configuration stores.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private void Add(ApiKeyEntry entry, string source)
    {
        var hash = entry.Sha256.Trim().ToLowerInvariant();
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            throw new InvalidOperationException($"API key '{entry.Name}' in {source}: Sha256 must be 64 hex digits (the SHA-256 of the key, never the key itself).");
        if (string.IsNullOrWhiteSpace(entry.Name))
            throw new InvalidOperationException($"An API key in {source} has no Name.");
        var unknown = entry.Roles.Except(KnownRoles, StringComparer.Ordinal).ToArray();
        if (entry.Roles.Count == 0 || unknown.Length > 0)
            throw new InvalidOperationException($"API key '{entry.Name}' in {source}: roles must be among {string.Join(", ", KnownRoles)}.");
        _byHash[hash] = new ApiKeyEntry { Name = entry.Name, Sha256 = hash, Roles = [.. entry.Roles] };
    }

    private static IEnumerable<ApiKeyEntry> ReadFile(string path)
    {
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split(':');
            if (parts.Length != 3)
                throw new InvalidOperationException($"{path} line {number}: expected name:role[,role]:sha256hex.");
            yield return new ApiKeyEntry
            {
                Name = parts[0].Trim(),
                Roles = [.. parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Sha256 = parts[2].Trim(),
            };
        }
    }
}
