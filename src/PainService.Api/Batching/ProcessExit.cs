namespace PainService.Api.Batching;

/// <summary>
/// The exit code the process will end with (<see cref="Environment.ExitCode"/>, which a void Main returns), set
/// before the host is asked to stop. A class of its own so in-process tests can observe the code instead of changing
/// the test runner's.
/// </summary>
public class ProcessExit
{
    /// <summary>
    /// A forward pass exceeded <c>Batching:ForwardTimeout</c> (a wedged libtorch call) and the process stopped itself
    /// so its supervisor starts a fresh one: EX_SOFTWARE of sysexits.h. Non-zero, so systemd's
    /// <c>Restart=on-failure</c> restarts it (Kubernetes and compose <c>restart: unless-stopped</c> restart on any exit).
    /// </summary>
    public const int WedgedForward = 70;

    public virtual void SetExitCode(int code) => Environment.ExitCode = code;
}
