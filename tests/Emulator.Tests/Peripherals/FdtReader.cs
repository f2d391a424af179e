using System.Buffers.Binary;
using System.Text;

namespace Emulator.Tests.Peripherals;

/// <summary>
/// A small, independent flattened device tree parser for tests: checks the header and block layout and
/// rebuilds the tree so tests can look nodes and properties up by path.
/// </summary>
public sealed class FdtReader
{
    public sealed class Node
    {
        public Node(string name) => Name = name;

        public string Name { get; }

        public Dictionary<string, byte[]> Properties { get; } = new();

        public List<Node> Children { get; } = new();

        public Node Child(string name) => Children.Single(c => c.Name == name);

        public uint[] Cells(string property)
        {
            var bytes = Properties[property];
            return Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 * i))).ToArray();
        }

        public uint Cell(string property) => Cells(property).Single();

        public string[] Strings(string property) => Encoding.ASCII.GetString(Properties[property]).TrimEnd('\0').Split('\0');

        public string String(string property) => Strings(property).Single();
    }

    public FdtReader(byte[] blob)
    {
        if (BinaryPrimitives.ReadUInt32BigEndian(blob) != 0xD00DFEED)
        {
            throw new FormatException("bad magic");
        }
        TotalSize = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(4));
        var structOffset = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(8));
        var stringsOffset = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(12));
        var reserveOffset = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(16));
        Version = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(20));
        LastCompatibleVersion = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(24));
        BootCpu = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(28));
        var stringsSize = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(32));
        var structSize = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(36));
        if (TotalSize > blob.Length || structOffset + structSize > blob.Length || stringsOffset + stringsSize > blob.Length
            || structOffset % 4 != 0 || reserveOffset % 8 != 0)
        {
            throw new FormatException("blocks outside the blob or misaligned");
        }
        if (BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(reserveOffset)) != 0 || BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(reserveOffset + 8)) != 0)
        {
            throw new FormatException("expected an empty memory reservation map");
        }
        var stack = new Stack<Node>();
        var position = structOffset;
        Node? root = null;
        while (true)
        {
            var token = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(position));
            position += 4;
            switch (token)
            {
                case 1:
                    var end = Array.IndexOf(blob, (byte)0, position);
                    var node = new Node(Encoding.ASCII.GetString(blob, position, end - position));
                    position = (end + 4) & ~3;
                    if (stack.Count > 0)
                    {
                        stack.Peek().Children.Add(node);
                    }
                    else
                    {
                        root = node;
                    }
                    stack.Push(node);
                    break;
                case 2:
                    stack.Pop();
                    break;
                case 3:
                    var length = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(position));
                    var nameOffset = stringsOffset + (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(position + 4));
                    var nameEnd = Array.IndexOf(blob, (byte)0, nameOffset);
                    var name = Encoding.ASCII.GetString(blob, nameOffset, nameEnd - nameOffset);
                    stack.Peek().Properties.Add(name, blob.AsSpan(position + 8, length).ToArray());
                    position = (position + 8 + length + 3) & ~3;
                    break;
                case 4:
                    break;
                case 9:
                    if (stack.Count != 0 || root == null)
                    {
                        throw new FormatException("unbalanced nodes");
                    }
                    Root = root;
                    return;
                default:
                    throw new FormatException($"bad token {token} at {position - 4}");
            }
        }
    }

    public uint TotalSize { get; }

    public uint Version { get; }

    public uint LastCompatibleVersion { get; }

    public uint BootCpu { get; }

    public Node Root { get; } = null!;

    public Node Find(string path)
    {
        var node = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node.Child(part);
        }
        return node;
    }
}
