namespace Emulator.Terminals;

/// <summary>Bytes from the host that entered a device at a slice boundary: virtual time (ns), device name, bytes.</summary>
public sealed record HostInputDelivery(ulong Time, string Device, byte[] Bytes);
