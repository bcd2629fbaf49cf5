using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Checkpoints;

/// <summary>
/// Reads and writes a state dict in TorchSharp's own save layout (what <c>Module.save</c> writes: a 7-bit-encoded
/// count, then per entry the key and <c>Tensor.Save</c>'s dtype, shape and raw bytes), so <c>Module.load</c> reads it
/// too. Unlike <c>Module.load</c>, <see cref="Read"/> needs no module, so keys and shapes can be checked first.
/// </summary>
public static class StateDictFile
{
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> entries)
    {
        var list = entries.ToList();
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write7BitEncodedInt64(list.Count);
        foreach (var (key, value) in list)
        {
            writer.Write(key);
            value.Save(writer);
        }
    }

    /// <summary>Reads every entry onto the CPU, in file order. The caller owns (disposes) the tensors.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var count = reader.Read7BitEncodedInt64();
        var result = new Dictionary<string, Tensor>((int)count);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString();
            result[key] = TensorExtensionMethods.Load(reader, skip: false);
        }
        return result;
    }
}
