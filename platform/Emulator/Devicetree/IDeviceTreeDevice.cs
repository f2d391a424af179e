namespace Emulator.Devicetree;

/// <summary>
/// A bus peripheral that appears in the generated device tree. The builder creates the node
/// (<c>NodeName@address</c> under /soc) and its <c>reg</c> from the bus registration; the device adds the rest.
/// </summary>
public interface IDeviceTreeDevice
{
    /// <summary>Node name without the unit address, e.g. "serial", "clint", "plic".</summary>
    string DeviceTreeNodeName { get; }

    void DescribeDeviceTree(DeviceTreeNode node, DeviceTreeContext context);
}
