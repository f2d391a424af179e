namespace Emulator.Core;

/// <summary>
/// A level-triggered line. Receivers are called only when the level changes, as in Renode, so a
/// peripheral may call Set(true) repeatedly without flooding the interrupt controller. Not sealed only so the
/// Renode API layer's <c>Antmicro.Renode.Core.GPIO</c> can be this same line under Renode's name.
/// </summary>
public class GPIO
{
    private readonly List<GpioEndpoint> endpoints = new();

    public bool IsSet { get; private set; }

    public IReadOnlyList<GpioEndpoint> Endpoints => endpoints;

    public bool IsConnected => endpoints.Count > 0;

    public void Connect(IGPIOReceiver receiver, int number)
    {
        endpoints.Add(new GpioEndpoint(receiver, number));
        if (IsSet)
        {
            receiver.OnGPIO(number, true);
        }
    }

    public void Disconnect()
    {
        endpoints.Clear();
    }

    public void Set(bool value)
    {
        if (value == IsSet)
        {
            return;
        }
        IsSet = value;
        foreach (var endpoint in endpoints)
        {
            endpoint.Receiver.OnGPIO(endpoint.Number, value);
        }
    }

    public void Set() => Set(true);

    public void Unset() => Set(false);

    public void Toggle() => Set(!IsSet);
}
