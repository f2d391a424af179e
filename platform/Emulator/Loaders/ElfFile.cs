using System.Buffers.Binary;
using System.Text;
using Emulator.Core;

namespace Emulator.Loaders;

/// <summary>
/// The parts of a 64-bit little-endian ELF file that loading needs: the entry point, the PT_LOAD segments and the
/// symbols. Read in one pass over the file's bytes, with every offset checked, so a damaged file gets a message that
/// says which table is broken (and start-up does not pay for a general ELF library's generic code).
/// </summary>
internal sealed class ElfFile
{
    private const uint LoadSegment = 1;
    private const uint SymbolTableSection = 2;
    private const uint DynamicSymbolSection = 11;
    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;

    private readonly byte[] bytes;
    private readonly string path;

    private ElfFile(string path, byte[] bytes)
    {
        this.path = path;
        this.bytes = bytes;
    }

    public ulong EntryPoint { get; private set; }

    public List<ElfSegment> LoadSegments { get; } = new();

    /// <summary>Functions, objects and untyped symbols with a name, the first of each name.</summary>
    public Dictionary<string, ulong> Symbols { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="bytes"/> (the caller has checked the identification bytes and the machine).</summary>
    public static ElfFile Parse(string path, byte[] bytes)
    {
        var file = new ElfFile(path, bytes);
        file.ReadHeaderAndSegments();
        file.ReadSymbols();
        return file;
    }

    /// <summary>The bytes a segment occupies in memory: its file bytes, then zeros up to its memory size.</summary>
    public byte[] MemoryContents(ElfSegment segment)
    {
        var contents = new byte[segment.MemorySize];
        Array.Copy(bytes, (long)segment.FileOffset, contents, 0, (long)segment.FileSize);
        return contents;
    }

    private void ReadHeaderAndSegments()
    {
        if (bytes.Length < HeaderSize)
        {
            throw Malformed($"the file header needs {HeaderSize} bytes, the file has {bytes.Length}");
        }
        EntryPoint = U64(24);
        var programHeaders = U64(32);
        var programHeaderSize = U16(54);
        var programHeaderCount = U16(56);
        if (programHeaderCount != 0 && programHeaderSize < ProgramHeaderSize)
        {
            throw Malformed($"program headers of {programHeaderSize} bytes (at least {ProgramHeaderSize} expected)");
        }
        CheckRange(programHeaders, (ulong)programHeaderSize * programHeaderCount, "the program header table");
        for (var i = 0; i < programHeaderCount; i++)
        {
            var at = (int)programHeaders + i * programHeaderSize;
            if (U32(at) != LoadSegment)
            {
                continue;
            }
            var segment = new ElfSegment(U64(at + 8), U64(at + 24), U64(at + 32), U64(at + 40));
            if (segment.FileSize > segment.MemorySize)
            {
                throw Malformed($"load segment {i} has more bytes in the file (0x{segment.FileSize:X}) than in memory (0x{segment.MemorySize:X})");
            }
            if (segment.MemorySize > int.MaxValue)
            {
                throw Malformed($"load segment {i} is 0x{segment.MemorySize:X} bytes, more than 2 GiB");
            }
            CheckRange(segment.FileOffset, segment.FileSize, $"load segment {i}");
            if (segment.MemorySize != 0)
            {
                LoadSegments.Add(segment);
            }
        }
    }

    private void ReadSymbols()
    {
        var sections = U64(40);
        var sectionHeaderSize = U16(58);
        var sectionCount = U16(60);
        if (sectionCount == 0)
        {
            return;
        }
        if (sectionHeaderSize < SectionHeaderSize)
        {
            throw Malformed($"section headers of {sectionHeaderSize} bytes (at least {SectionHeaderSize} expected)");
        }
        CheckRange(sections, (ulong)sectionHeaderSize * sectionCount, "the section header table");
        for (var i = 0; i < sectionCount; i++)
        {
            var at = (int)sections + i * sectionHeaderSize;
            var type = U32(at + 4);
            if (type != SymbolTableSection && type != DynamicSymbolSection)
            {
                continue;
            }
            var offset = U64(at + 24);
            var size = U64(at + 32);
            var link = U32(at + 40);
            CheckRange(offset, size, $"symbol table (section {i})");
            if (link >= sectionCount)
            {
                throw Malformed($"symbol table (section {i}) names string section {link}, but there are {sectionCount} sections");
            }
            var strings = (int)sections + (int)link * sectionHeaderSize;
            var stringsOffset = U64(strings + 24);
            var stringsSize = U64(strings + 32);
            CheckRange(stringsOffset, stringsSize, $"string table (section {link})");
            for (var entry = offset; entry + SymbolSize <= offset + size; entry += SymbolSize)
            {
                var e = (int)entry;
                var kind = bytes[e + 4] & 0xF;
                // STT_NOTYPE, STT_OBJECT, STT_FUNC: what code and data addresses are named by.
                if (kind > 2)
                {
                    continue;
                }
                var nameOffset = U32(e);
                if (nameOffset == 0)
                {
                    continue;
                }
                if (nameOffset >= stringsSize)
                {
                    throw Malformed($"a symbol's name (offset 0x{nameOffset:X}) lies outside its string table (section {link})");
                }
                var start = (int)(stringsOffset + nameOffset);
                var end = Array.IndexOf(bytes, (byte)0, start, (int)(stringsSize - nameOffset));
                if (end < 0)
                {
                    throw Malformed($"a symbol's name runs past the end of its string table (section {link})");
                }
                if (end > start)
                {
                    Symbols.TryAdd(Encoding.UTF8.GetString(bytes, start, end - start), U64(e + 8));
                }
            }
        }
    }

    private void CheckRange(ulong offset, ulong size, string what)
    {
        if (offset > (ulong)bytes.Length || size > (ulong)bytes.Length - offset)
        {
            throw Malformed($"{what} (0x{size:X} bytes at offset 0x{offset:X}) lies outside the file (0x{bytes.Length:X} bytes)");
        }
    }

    private EmulationException Malformed(string what) => new($"{path}: malformed ELF: {what}");

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));

    private uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));

    private ulong U64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
}
