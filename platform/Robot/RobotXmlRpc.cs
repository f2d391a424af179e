using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Emulator.Robot;

/// <summary>
/// XML-RPC encoding as Robot Framework's Remote library speaks it: method calls with params, responses
/// with one value, faults. Values map to Robot values: string, i4/int/i8 → long, boolean, double,
/// base64 → byte[], array → list, struct → dictionary, nil → null.
/// </summary>
public static class RobotXmlRpc
{
    /// <summary>Parses a methodCall; throws <see cref="FormatException"/> with a one-line reason when malformed.</summary>
    public static (string Method, List<object?> Parameters) ParseCall(string xml)
    {
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 64 * 1024 * 1024 };
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException($"not well-formed XML: {e.Message}");
        }
        var call = document.Root;
        if (call == null || call.Name.LocalName != "methodCall")
        {
            throw new FormatException("expected a <methodCall> element");
        }
        var method = call.Element("methodName")?.Value.Trim();
        if (string.IsNullOrEmpty(method))
        {
            throw new FormatException("<methodCall> has no <methodName>");
        }
        var parameters = new List<object?>();
        var paramsElement = call.Element("params");
        if (paramsElement != null)
        {
            foreach (var param in paramsElement.Elements("param"))
            {
                var value = param.Element("value") ?? throw new FormatException("<param> without <value>");
                parameters.Add(ParseValue(value));
            }
        }
        return (method, parameters);
    }

    public static object? ParseValue(XElement value)
    {
        var typed = value.Elements().FirstOrDefault();
        if (typed == null)
        {
            // A <value> without a type element is a string.
            return value.Value;
        }
        var text = typed.Value;
        switch (typed.Name.LocalName)
        {
            case "string":
                return text;
            case "int":
            case "i4":
            case "i8":
                if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
                {
                    throw new FormatException($"invalid integer '{text}'");
                }
                return integer;
            case "boolean":
                return text.Trim() switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw new FormatException($"invalid boolean '{text}'"),
                };
            case "double":
                if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                {
                    throw new FormatException($"invalid double '{text}'");
                }
                return real;
            case "base64":
                try
                {
                    return Convert.FromBase64String(text.Trim());
                }
                catch (FormatException)
                {
                    throw new FormatException("invalid base64 value");
                }
            case "dateTime.iso8601":
                return text.Trim();
            case "nil":
                return null;
            case "array":
            {
                var data = typed.Element("data") ?? throw new FormatException("<array> without <data>");
                return data.Elements("value").Select(ParseValue).ToList();
            }
            case "struct":
            {
                var result = new Dictionary<string, object?>();
                foreach (var member in typed.Elements("member"))
                {
                    var name = member.Element("name")?.Value ?? throw new FormatException("<member> without <name>");
                    var memberValue = member.Element("value") ?? throw new FormatException("<member> without <value>");
                    result[name] = ParseValue(memberValue);
                }
                return result;
            }
            default:
                throw new FormatException($"unknown value type <{typed.Name.LocalName}>");
        }
    }

    public static string FormatResponse(object? value)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\"?>\n<methodResponse><params><param>");
        AppendValue(builder, value);
        builder.Append("</param></params></methodResponse>\n");
        return builder.ToString();
    }

    public static string FormatFault(int code, string message)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\"?>\n<methodResponse><fault>");
        AppendValue(builder, new Dictionary<string, object?> { ["faultCode"] = (long)code, ["faultString"] = message });
        builder.Append("</fault></methodResponse>\n");
        return builder.ToString();
    }

    public static string FormatCall(string method, params object?[] parameters)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\"?>\n<methodCall><methodName>");
        builder.Append(Escape(method)).Append("</methodName><params>");
        foreach (var p in parameters)
        {
            builder.Append("<param>");
            AppendValue(builder, p);
            builder.Append("</param>");
        }
        builder.Append("</params></methodCall>\n");
        return builder.ToString();
    }

    public static void AppendValue(StringBuilder builder, object? value)
    {
        builder.Append("<value>");
        switch (value)
        {
            case null:
                // Robot's own remote servers send None as an empty string.
                builder.Append("<string></string>");
                break;
            case string s:
                builder.Append("<string>").Append(Escape(s)).Append("</string>");
                break;
            case bool b:
                builder.Append("<boolean>").Append(b ? '1' : '0').Append("</boolean>");
                break;
            case int or long or uint or short or byte:
            {
                var l = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                builder.Append(l is >= int.MinValue and <= int.MaxValue ? "<int>" : "<i8>")
                    .Append(l.ToString(CultureInfo.InvariantCulture))
                    .Append(l is >= int.MinValue and <= int.MaxValue ? "</int>" : "</i8>");
                break;
            }
            case ulong u:
                builder.Append("<string>").Append(u.ToString(CultureInfo.InvariantCulture)).Append("</string>");
                break;
            case double or float:
                builder.Append("<double>").Append(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)).Append("</double>");
                break;
            case byte[] bytes:
                builder.Append("<base64>").Append(Convert.ToBase64String(bytes)).Append("</base64>");
                break;
            case System.Collections.IDictionary dict:
                builder.Append("<struct>");
                foreach (System.Collections.DictionaryEntry entry in dict)
                {
                    builder.Append("<member><name>").Append(Escape(RobotValues.ToText(entry.Key))).Append("</name>");
                    AppendValue(builder, entry.Value);
                    builder.Append("</member>");
                }
                builder.Append("</struct>");
                break;
            case System.Collections.IEnumerable list:
                builder.Append("<array><data>");
                foreach (var item in list)
                {
                    AppendValue(builder, item);
                }
                builder.Append("</data></array>");
                break;
            default:
                builder.Append("<string>").Append(Escape(RobotValues.ToText(value))).Append("</string>");
                break;
        }
        builder.Append("</value>");
    }

    /// <summary>XML-escapes text and drops characters XML 1.0 cannot carry (guest output may contain any byte).</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                case '\r':
                    builder.Append("&#13;");
                    break;
                case '\n' or '\t':
                    builder.Append(c);
                    break;
                default:
                    if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF && !char.IsSurrogate(c))
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }
}
