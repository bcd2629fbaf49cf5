using PainService.Api.Batching;

namespace PainService.Api.Tests.Support;

/// <summary>Records the process exit code the app asks for, instead of setting the test runner's own.</summary>
public sealed class RecordedExit : ProcessExit
{
    public int? Code { get; private set; }

    public override void SetExitCode(int code) => Code = code;
}
