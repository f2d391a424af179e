using System.Text;

namespace Emulator.Devicetree;

/// <summary>A device tree node: ordered properties (raw big-endian bytes) and children.</summary>
public sealed class DeviceTreeNode
{
    private readonly List<KeyValuePair<string, byte[]>> properties = new();
    private readonly List<DeviceTreeNode> children = new();

    public DeviceTreeNode(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Properties => properties;

    public IReadOnlyList<DeviceTreeNode> Children => children;

    public DeviceTreeNode AddChild(string name)
    {
        var child = new DeviceTreeNode(name);
        children.Add(child);
        return child;
    }

    public DeviceTreeNode? FindChild(string name) => children.Find(c => c.Name == name);

    public byte[]? GetProperty(string name) => properties.Find(p => p.Key == name).Value;

    public DeviceTreeNode SetProperty(string name, byte[] value)
    {
        var index = properties.FindIndex(p => p.Key == name);
        if (index >= 0)
        {
            properties[index] = new(name, value);
        }
        else
        {
            properties.Add(new(name, value));
        }
        return this;
    }

    public DeviceTreeNode SetEmpty(string name) => SetProperty(name, Array.Empty<byte>());

    public DeviceTreeNode SetString(string name, string value) => SetStrings(name, value);

    /// <summary>A string list: each string NUL-terminated, as in `compatible = "a", "b"`.</summary>
    public DeviceTreeNode SetStrings(string name, params string[] values)
    {
        var bytes = new List<byte>();
        foreach (var value in values)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(value));
            bytes.Add(0);
        }
        return SetProperty(name, bytes.ToArray());
    }

    public DeviceTreeNode SetCells(string name, params uint[] cells)
    {
        var bytes = new byte[cells.Length * 4];
        for (var i = 0; i < cells.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), cells[i]);
        }
        return SetProperty(name, bytes);
    }

    /// <summary>`reg` with #address-cells = #size-cells = 2.</summary>
    public DeviceTreeNode SetReg(ulong address, ulong size) =>
        SetCells("reg", (uint)(address >> 32), (uint)address, (uint)(size >> 32), (uint)size);
}
