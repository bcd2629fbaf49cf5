namespace PainService.Bench;

/// <summary>Command line: --only model,layout,haar,pipeline,service  --budget 6  --service-seconds 15  --api DLL  --out FILE.</summary>
internal sealed record BenchSettings(HashSet<string> Only, TimeSpan CellBudget, TimeSpan ServiceDuration, int ServiceMaxRequests,
    string ApiDll, string Astronaut, string Output, string Commit)
{
    public bool Wants(string part) => Only.Count == 0 || Only.Contains(part);

    public static BenchSettings Parse(string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var repo = Arg("--repo") ?? Directory.GetCurrentDirectory();
        var only = (Arg("--only") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        return new BenchSettings(
            only,
            TimeSpan.FromSeconds(double.Parse(Arg("--budget") ?? "6", System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Arg("--service-seconds") ?? "15", System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(Arg("--service-max-requests") ?? "2000"),
            Arg("--api") ?? "",
            Arg("--astronaut") ?? Path.GetFullPath(Path.Combine(repo, "..", "shared", "golden", "astronaut.png")),
            Arg("--out") ?? Path.Combine(repo, "bench", "RESULTS.md"),
            Arg("--commit") ?? "unknown");
    }
}
