using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;

namespace PainService.Worker.Tests.Relabel;

/// <summary>
/// Writes a module the way ME-GraphAU's released checkpoints are stored: a <c>torch.save</c> zip (PyBridge's pickler
/// writes the same archive layout: version, data.pkl, one storage file per tensor) holding
/// <c>{'epoch': N, 'state_dict': {'module.' + key: tensor}}</c>, the keys prefixed as nn.DataParallel saves them.
/// </summary>
internal static class AuthorsCheckpointFile
{
    public static void Write(torch.nn.Module module, string path, int epoch)
    {
        var stateDict = new Hashtable();
        foreach (var (key, tensor) in module.state_dict())
            stateDict["module." + key] = tensor;
        using var file = File.Create(path);
        PyTorchPickler.PickleStateDict(file, new Hashtable { ["epoch"] = epoch, ["state_dict"] = stateDict }, leaveOpen: false);
    }
}
