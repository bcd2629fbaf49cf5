using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PainService.Model.Checkpoints;

/// <summary>
/// Reads PyTorch checkpoints in the authors' on-disk format: a <c>torch.save</c> zip holding either a bare state dict
/// or a dict <c>{'epoch', 'state_dict', 'optimizer', …}</c>. PyBridge's <c>load_py</c> rejects the wrapper, so the file
/// goes through its unpickler and <c>state_dict</c> is taken. Storages tagged <c>cuda:N</c> are read onto the CPU.
/// Only a leading <c>module.</c> (DataParallel) is stripped (spec Q25).
/// </summary>
public static class PyTorchCheckpointImporter
{
    private const string DataParallelPrefix = "module.";

    /// <summary>The checkpoint's state dict as CPU tensors keyed by bare module keys. The caller disposes the tensors.</summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        Hashtable root;
        using (var file = File.OpenRead(path))
            root = PyTorchUnpickler.UnpickleStateDict(file, leaveOpen: false, skipTensorRead: false);
        var stateDict = root["state_dict"] as IDictionary ?? root;

        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in stateDict)
        {
            if (entry.Value is not Tensor tensor)
                continue;                                       // the bare-dict case may carry non-tensor entries
            var key = (string)entry.Key;
            if (key.StartsWith(DataParallelPrefix, StringComparison.Ordinal))
                key = key[DataParallelPrefix.Length..];
            if (!result.TryAdd(key, tensor))
                throw new InvalidDataException($"{path}: key '{key}' occurs both with and without the '{DataParallelPrefix}' prefix.");
        }
        if (result.Count == 0)
            throw new InvalidDataException($"{path} holds no tensors (expected a state dict or a dict with 'state_dict').");
        return result;
    }

    /// <summary>
    /// Imports <paramref name="path"/> into <paramref name="model"/>: every missing key, unexpected key and shape mismatch is
    /// reported by name; anything but an exact match fails unless <paramref name="allowPartial"/> (shape mismatches always fail).
    /// </summary>
    public static LoadReport Import(nn.Module model, string path, bool allowPartial = false)
    {
        var source = ReadStateDict(path);
        try
        {
            return StateDictLoader.Load(model, source, allowPartial);
        }
        finally
        {
            foreach (var t in source.Values)
                t.Dispose();
        }
    }
}
