// The safetensors writer and reader: the byte layout the format specifies, and F32, F16 and BF16 round trips.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _file = Path.Combine(Directory.CreateTempSubdirectory("rlvr-safetensors-").FullName, "t.safetensors");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);

    [Fact]
    public void TheLayoutIsAHeaderLengthAJsonHeaderAndTheRawLittleEndianData()
    {
        using var scope = NewDisposeScope();
        Safetensors.Write(_file, [("a", tensor(new[] { 1f, -2f })), ("b", tensor(new[] { 1f, 0.5f, 3f }).to(bfloat16).view(3, 1))]);

        var bytes = File.ReadAllBytes(_file);
        long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, length % 8);                                                      // the data starts 8-byte aligned
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)length))!.AsObject();
        Assert.Equal("pt", header["__metadata__"]!["format"]!.GetValue<string>());
        Assert.Equal("""{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""", header["a"]!.ToJsonString());
        Assert.Equal("""{"dtype":"BF16","shape":[3,1],"data_offsets":[8,14]}""", header["b"]!.ToJsonString());
        var data = bytes.AsSpan(8 + (int)length);
        Assert.Equal(14, data.Length);
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(data[4..]));
        Assert.Equal(0x3F00, BinaryPrimitives.ReadUInt16LittleEndian(data[10..]));        // bfloat16 0.5: the top half of float 0x3F000000
    }

    [Theory, InlineData(ScalarType.Float32), InlineData(ScalarType.Float16), InlineData(ScalarType.BFloat16)]
    public void WhatIsWrittenReadsBackBitForBit(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var written = randn(3, 5, generator: new Generator(4)).to(dtype);
        Safetensors.Write(_file, [("w", written)]);

        var entry = Safetensors.ReadHeader(_file)["w"];
        var read = Safetensors.Read(_file, entry);
        Assert.Equal(dtype, read.dtype);
        Assert.Equal([3, 5], read.shape);
        Assert.True(read.to(float32).allclose(written.to(float32), rtol: 0, atol: 0));
    }

    [Fact]
    public void AnUnsupportedTypeNamesTheFileAndTheTensor()
    {
        File.WriteAllBytes(_file, [.. Header("""{"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"""), .. new byte[8]]);
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.ReadHeader(_file));
        Assert.Equal($"{_file}: tensor 'x': dtype I64 is not supported (F32, F16, BF16 are).", error.Message);
    }

    private static byte[] Header(string json)
    {
        var text = Encoding.UTF8.GetBytes(json);
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)text.Length);
        return [.. length, .. text];
    }
}
