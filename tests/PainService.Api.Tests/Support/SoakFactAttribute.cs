namespace PainService.Api.Tests.Support;

/// <summary>
/// A long test that runs only when PAINSERVICE_SOAK is set to a request count (e.g. 3000); otherwise it is reported
/// as skipped, never as passed.
/// </summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("PAINSERVICE_SOAK"), out _))
            Skip = "soak test: set PAINSERVICE_SOAK=<requests> to run it (minutes on 2 cores)";
    }

    public static int Requests => int.Parse(Environment.GetEnvironmentVariable("PAINSERVICE_SOAK") ?? "0");
}
