using System.Buffers.Binary;
using System.Text;

namespace Emulator.Devicetree;

/// <summary>Serializes a <see cref="DeviceTreeNode"/> tree to a flattened device tree blob (DTB, version 17).</summary>
public static class FlattenedDeviceTree
{
    public const uint Magic = 0xD00DFEED;
    private const uint BeginNode = 1;
    private const uint EndNode = 2;
    private const uint Property = 3;
    private const uint End = 9;
    private const int HeaderSize = 40;

    public static byte[] Serialize(DeviceTreeNode root, uint bootCpuId = 0)
    {
        var structure = new List<byte>();
        var strings = new List<byte>();
        var stringOffsets = new Dictionary<string, int>(StringComparer.Ordinal);
        WriteNode(root, structure, strings, stringOffsets);
        AppendU32(structure, End);

        // Layout: header, memory reservation map (just the terminating empty entry), structure, strings.
        const int reservationOffset = HeaderSize;
        const int reservationSize = 16;
        var structureOffset = reservationOffset + reservationSize;
        var stringsOffset = structureOffset + structure.Count;
        var total = stringsOffset + strings.Count;
        var blob = new byte[(total + 7) & ~7];
        var header = blob.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(header[0..], Magic);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)blob.Length);
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], (uint)structureOffset);
        BinaryPrimitives.WriteUInt32BigEndian(header[12..], (uint)stringsOffset);
        BinaryPrimitives.WriteUInt32BigEndian(header[16..], reservationOffset);
        BinaryPrimitives.WriteUInt32BigEndian(header[20..], 17);
        BinaryPrimitives.WriteUInt32BigEndian(header[24..], 16);
        BinaryPrimitives.WriteUInt32BigEndian(header[28..], bootCpuId);
        BinaryPrimitives.WriteUInt32BigEndian(header[32..], (uint)strings.Count);
        BinaryPrimitives.WriteUInt32BigEndian(header[36..], (uint)structure.Count);
        structure.CopyTo(blob, structureOffset);
        strings.CopyTo(blob, stringsOffset);
        return blob;
    }

    private static void WriteNode(DeviceTreeNode node, List<byte> structure, List<byte> strings, Dictionary<string, int> stringOffsets)
    {
        AppendU32(structure, BeginNode);
        structure.AddRange(Encoding.ASCII.GetBytes(node.Name));
        structure.Add(0);
        Pad(structure);
        foreach (var (name, value) in node.Properties)
        {
            if (!stringOffsets.TryGetValue(name, out var nameOffset))
            {
                nameOffset = strings.Count;
                stringOffsets[name] = nameOffset;
                strings.AddRange(Encoding.ASCII.GetBytes(name));
                strings.Add(0);
            }
            AppendU32(structure, Property);
            AppendU32(structure, (uint)value.Length);
            AppendU32(structure, (uint)nameOffset);
            structure.AddRange(value);
            Pad(structure);
        }
        foreach (var child in node.Children)
        {
            WriteNode(child, structure, strings, stringOffsets);
        }
        AppendU32(structure, EndNode);
    }

    private static void AppendU32(List<byte> bytes, uint value)
    {
        bytes.Add((byte)(value >> 24));
        bytes.Add((byte)(value >> 16));
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }

    private static void Pad(List<byte> bytes)
    {
        while (bytes.Count % 4 != 0)
        {
            bytes.Add(0);
        }
    }
}
