using System.Xml.Linq;
using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

[TestFixture]
public sealed class RobotXmlRpcTests
{
    [Test]
    public void ParsesEveryValueType()
    {
        var (method, parameters) = RobotXmlRpc.ParseCall("""
            <?xml version="1.0"?>
            <methodCall><methodName>run_keyword</methodName><params>
              <param><value>bare string</value></param>
              <param><value><i4>-7</i4></value></param>
              <param><value><boolean>1</boolean></value></param>
              <param><value><double>2.5</double></value></param>
              <param><value><base64>AAGq</base64></value></param>
              <param><value><nil/></value></param>
              <param><value><array><data><value><string>a</string></value><value><int>1</int></value></data></array></value></param>
              <param><value><struct><member><name>k</name><value><string>v</string></value></member></struct></value></param>
            </params></methodCall>
            """);
        Assert.That(method, Is.EqualTo("run_keyword"));
        Assert.That(parameters[0], Is.EqualTo("bare string"));
        Assert.That(parameters[1], Is.EqualTo(-7L));
        Assert.That(parameters[2], Is.EqualTo(true));
        Assert.That(parameters[3], Is.EqualTo(2.5));
        Assert.That(parameters[4], Is.EqualTo(new byte[] { 0, 1, 0xaa }));
        Assert.That(parameters[5], Is.Null);
        Assert.That(parameters[6], Is.EqualTo(new List<object?> { "a", 1L }));
        Assert.That(parameters[7], Is.EqualTo(new Dictionary<string, object?> { ["k"] = "v" }));
    }

    [Test]
    public void ResponsesRoundTripAndDropCharactersXmlCannotHold()
    {
        var value = new Dictionary<string, object?>
        {
            ["line"] = "a<b>&\u0001c\r",
            ["big"] = 1L << 40,
            ["none"] = null,
            ["list"] = new List<object?> { 1L, "x", false },
        };
        var document = XDocument.Parse(RobotXmlRpc.FormatResponse(value));
        var parsed = (Dictionary<string, object?>)RobotXmlRpc.ParseValue(document.Root!.Element("params")!.Element("param")!.Element("value")!)!;
        Assert.That(parsed["line"], Is.EqualTo("a<b>&c\r"));
        Assert.That(parsed["big"], Is.EqualTo(1L << 40));
        Assert.That(parsed["none"], Is.EqualTo(""));
        Assert.That(parsed["list"], Is.EqualTo(new List<object?> { 1L, "x", false }));
    }

    [TestCase("")]
    [TestCase("<methodCall/>")]
    [TestCase("<methodCall><methodName>x</methodName><params><param/></params></methodCall>")]
    [TestCase("<methodCall><methodName>x</methodName><params><param><value><boolean>2</boolean></value></param></params></methodCall>")]
    [TestCase("<methodCall><methodName>x</methodName><params><param><value><weird/></value></param></params></methodCall>")]
    public void MalformedCallsAreFormatErrors(string xml)
    {
        Assert.Throws<FormatException>(() => RobotXmlRpc.ParseCall(xml));
    }
}
