using System.CommandLine;

namespace PainService.Worker.Commands;

/// <summary>The <c>--device</c> option of sft, train, relabel, evaluate and run.</summary>
internal static class DeviceOption
{
    public static Option<string> Create() => new("--device")
    {
        Description = "auto (CUDA when present, else CPU) | cpu | cuda[:N] (fails when there is no CUDA device). Default: Model:Device of appsettings.json / Model__Device, else auto.",
        DefaultValueFactory = _ => WorkerConfiguration.DefaultDevice(),
    };
}
