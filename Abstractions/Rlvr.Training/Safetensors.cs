// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor's name to its
// dtype, shape and data_offsets (begin, end) within the data that follows, then the raw little-endian data. F32, F16
// and BF16 are read and written; every error names the file and the tensor.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Rlvr.Training;

/// <summary>Reads and writes safetensors files, the weights format of Hugging Face and PyTorch tools.</summary>
public static class Safetensors
{
    private static readonly Dictionary<string, ScalarType> s_types = new() { ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16 };

    /// <summary>One tensor's entry in a file's header.</summary>
    public sealed record Entry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    /// <summary>The tensors a file holds, by name, from its header.</summary>
    /// <exception cref="InvalidDataException">The header is malformed; the message names the file and the tensor.</exception>
    public static Dictionary<string, Entry> ReadHeader(string file)
    {
        using var stream = File.OpenRead(file);
        var (header, dataLength) = Header(stream, file);
        var entries = new Dictionary<string, Entry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            string where = $"{file}: tensor '{name}'";
            try
            {
                var json = node!.AsObject();
                string dtype = json["dtype"]!.GetValue<string>();
                long[] shape = [.. json["shape"]!.AsArray().Select(d => d!.GetValue<long>())];
                long[] offsets = [.. json["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>())];
                if (!s_types.TryGetValue(dtype, out var type)) throw new InvalidDataException($"{where}: dtype {dtype} is not supported (F32, F16, BF16 are).");
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > dataLength || offsets[1] - offsets[0] != shape.Aggregate(1L, (a, b) => a * b) * ElementSize(type))
                    throw new InvalidDataException($"{where}: data_offsets [{string.Join(", ", offsets)}] do not hold a {dtype} tensor of shape [{string.Join(", ", shape)}] within the file's {dataLength} data bytes.");
                entries[name] = new Entry(name, type, shape, offsets[0], offsets[1]);
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
            {
                throw new InvalidDataException($"{where}: needs dtype, shape and data_offsets ({e.Message}).", e);
            }
        }
        return entries;
    }

    /// <summary>Reads one tensor on the CPU, in its stored type.</summary>
    public static Tensor Read(string file, Entry entry)
    {
        using var stream = File.OpenRead(file);
        long length = entry.End - entry.Begin;
        if (length > Array.MaxLength) throw new InvalidDataException($"{file}: tensor '{entry.Name}' holds {length} bytes, more than one read of this reader can take.");
        var bytes = new byte[length];
        stream.Position = 8 + HeaderLength(stream, file) + entry.Begin;
        stream.ReadExactly(bytes);
        var tensor = empty(entry.Shape, entry.DType);
        tensor.bytes = bytes;
        return tensor;
    }

    /// <summary>Writes <paramref name="tensors"/> (any device, F32, F16 or BF16) to <paramref name="file"/> in the given order.</summary>
    public static void Write(string file, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        using var scope = NewDisposeScope();
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };   // transformers checks the format
        var data = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            string dtype = s_types.FirstOrDefault(t => t.Value == tensor.dtype).Key
                ?? throw new ArgumentException($"Tensor '{name}' is {tensor.dtype}; safetensors is written for float32, float16 and bfloat16.", nameof(tensors));
            byte[] bytes = tensor.detach().cpu().contiguous().bytes.ToArray();
            header[name] = new JsonObject
            {
                ["dtype"] = dtype, ["shape"] = new JsonArray([.. tensor.shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            data.Add(bytes);
            offset += bytes.Length;
        }
        var text = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padding = (8 - text.Length % 8) % 8;                                                     // data aligned to 8 bytes, as the format advises
        using var stream = File.Create(file);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(text.Length + padding));
        stream.Write(length);
        stream.Write(text);
        stream.Write(Enumerable.Repeat((byte)' ', padding).ToArray());
        foreach (var bytes in data) stream.Write(bytes);
    }

    private static (JsonObject Header, long DataLength) Header(Stream stream, string file)
    {
        long length = HeaderLength(stream, file);
        var text = new byte[length];
        stream.ReadExactly(text);
        try
        {
            return (JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{file}: the safetensors header is not a JSON object."), stream.Length - 8 - length);
        }
        catch (JsonException e) { throw new InvalidDataException($"{file}: the safetensors header is not valid JSON: {e.Message}", e); }
    }

    private static long HeaderLength(Stream stream, string file)
    {
        Span<byte> bytes = stackalloc byte[8];
        stream.Position = 0;
        if (stream.Length < 8) throw new InvalidDataException($"{file}: too short to be a safetensors file.");
        stream.ReadExactly(bytes);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return length <= (ulong)Math.Min(stream.Length - 8, 100_000_000)
            ? (long)length : throw new InvalidDataException($"{file}: header length {length} does not fit the file; not a safetensors file.");
    }

    private static int ElementSize(ScalarType type) => type == ScalarType.Float32 ? 4 : 2;
}
