namespace Emulator.Terminals;

/// <summary>
/// One recorded delivery in a replay file: virtual time (ns), device, and the bytes as text, one char per byte
/// (Latin-1), so that JSON escapes keep control keys and any byte value.
/// </summary>
public sealed record ReplayInput(ulong Time, string Device, string Text)
{
    public static ReplayInput From(HostInputDelivery delivery) =>
        new(delivery.Time, delivery.Device, System.Text.Encoding.Latin1.GetString(delivery.Bytes));

    public HostInputDelivery ToDelivery() => new(Time, Device, System.Text.Encoding.Latin1.GetBytes(Text));
}
