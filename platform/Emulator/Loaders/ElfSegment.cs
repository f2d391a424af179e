namespace Emulator.Loaders;

/// <summary>A PT_LOAD segment: where its bytes lie in the file and where they go in physical memory.</summary>
// A class, not a struct: a list of a reference type runs the runtime's precompiled shared code, where a list of a
// struct would be compiled by the JIT at start-up.
internal sealed record ElfSegment(ulong FileOffset, ulong PhysicalAddress, ulong FileSize, ulong MemorySize);
