namespace Antmicro.Renode.Core;

/// <summary>Renode's IGPIO: one level-triggered line.</summary>
public interface IGPIO
{
    bool IsSet { get; }

    bool IsConnected { get; }

    void Set(bool value);

    void Toggle();

    void Connect(IGPIOReceiver destination, int destinationNumber);

    void Disconnect();
}
