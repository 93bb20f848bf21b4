"""Writes Shared/Proto/Generated/<file>.pb.swift: a Swift type for every
message, enum and service in Protos/irg/v1, named as swift-protobuf names
them (Irg_V1_Motion, lowerCamelCase properties, oneofs as Swift enums, enums
that keep unknown values), converting to and from `ProtoMessage`, whose codec
is protobuf-c. Handlers and clients use these types; field names appear as
strings only here. Run by Scripts/gen_protos.sh; checked by check_generated.sh.

Usage: gen_swift_messages.py DESCRIPTOR_SET OUT_DIR
"""
import os
import re
import sys

from google.protobuf import descriptor_pb2

F = descriptor_pb2.FieldDescriptorProto

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import",
    "init", "inout", "internal", "let", "open", "operator", "private", "protocol", "public",
    "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "continue",
    "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat",
    "return", "switch", "where", "while", "as", "catch", "false", "is", "nil", "super", "self",
    "Self", "throw", "throws", "true", "try", "Type", "Protocol",
}

# proto scalar type -> (Swift type, ProtoValue from a Swift value `v`,
#                      singular reader on ProtoMessage `m` for field name `n`,
#                      element reader on a ProtoValue `e`)
SCALARS = {
    F.TYPE_DOUBLE: ("Double", ".double({v})", "{m}.double({n})", "{e}.doubleValue"),
    F.TYPE_FLOAT: ("Float", ".float({v})", "Float({m}.double({n}))", "{e}.floatValue"),
    F.TYPE_INT64: ("Int64", ".int({v})", "{m}.int({n})", "{e}.int64Value"),
    F.TYPE_SINT64: ("Int64", ".int({v})", "{m}.int({n})", "{e}.int64Value"),
    F.TYPE_SFIXED64: ("Int64", ".int({v})", "{m}.int({n})", "{e}.int64Value"),
    F.TYPE_UINT64: ("UInt64", ".uint({v})", "{m}.uint({n})", "{e}.uint64Value"),
    F.TYPE_FIXED64: ("UInt64", ".uint({v})", "{m}.uint({n})", "{e}.uint64Value"),
    F.TYPE_INT32: ("Int32", ".int(Int64({v}))", "Int32(truncatingIfNeeded: {m}.int({n}))",
                   "Int32(truncatingIfNeeded: {e}.int64Value)"),
    F.TYPE_SINT32: ("Int32", ".int(Int64({v}))", "Int32(truncatingIfNeeded: {m}.int({n}))",
                    "Int32(truncatingIfNeeded: {e}.int64Value)"),
    F.TYPE_SFIXED32: ("Int32", ".int(Int64({v}))", "Int32(truncatingIfNeeded: {m}.int({n}))",
                      "Int32(truncatingIfNeeded: {e}.int64Value)"),
    F.TYPE_UINT32: ("UInt32", ".uint(UInt64({v}))", "UInt32(truncatingIfNeeded: {m}.uint({n}))",
                    "UInt32(truncatingIfNeeded: {e}.uint64Value)"),
    F.TYPE_FIXED32: ("UInt32", ".uint(UInt64({v}))", "UInt32(truncatingIfNeeded: {m}.uint({n}))",
                     "UInt32(truncatingIfNeeded: {e}.uint64Value)"),
    F.TYPE_BOOL: ("Bool", ".bool({v})", "{m}.bool({n})", "{e}.boolValue"),
    F.TYPE_STRING: ("String", ".string({v})", "{m}.string({n})", "{e}.stringValue"),
    F.TYPE_BYTES: ("[UInt8]", ".bytes({v})", "{m}.bytes({n})", "{e}.bytesValue"),
}

DEFAULTS = {"Double": "0", "Float": "0", "Int64": "0", "UInt64": "0", "Int32": "0",
            "UInt32": "0", "Bool": "false", "String": '""', "[UInt8]": "[]"}


# Words swift-protobuf writes in capitals after the first word (session_id -> sessionID).
INITIALISMS = {"id", "url", "http", "https"}


def camel(name: str, upper_first: bool = False) -> str:
    """swift-protobuf's naming: words split at '_', a letter after a digit upper-cased,
    the initialisms above in capitals."""
    words = name.split("_")
    name = "_".join([words[0]] + [w.upper() if w in INITIALISMS else w for w in words[1:]])
    out, upper = [], upper_first
    previous = ""
    for ch in name:
        if ch == "_":
            upper = True
            continue
        if previous.isdigit() and ch.isalpha():
            upper = True
        out.append(ch.upper() if upper else ch)
        upper = False
        previous = ch
    return "".join(out)


def escaped(name: str) -> str:
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def swift_type_name(full_name: str) -> str:
    """.irg.v1.HealthCheckResponse.ServingStatus -> Irg_V1_HealthCheckResponse.ServingStatus"""
    parts = full_name.lstrip(".").split(".")
    package = [p for p in parts if p[:1].islower()]
    types = parts[len(package):]
    prefix = "_".join(camel(p, upper_first=True) for p in package)
    return ".".join([f"{prefix}_{types[0]}"] + types[1:])


def enum_case_name(enum_name: str, value_name: str) -> str:
    """Strips the enum's SCREAMING_SNAKE prefix (JOB_STATE_UNSPECIFIED in JobState -> unspecified)."""
    prefix = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", enum_name).upper() + "_"
    stripped = value_name[len(prefix):] if value_name.startswith(prefix) and len(value_name) > len(prefix) else value_name
    return camel(stripped.lower())


class Generator:
    def __init__(self, files):
        self.files = files
        self.messages = {}  # full name -> DescriptorProto
        self.enums = {}     # full name -> EnumDescriptorProto
        for fd in files:
            self._index(f".{fd.package}", fd.message_type, fd.enum_type)

    def _index(self, prefix, messages, enums):
        for e in enums:
            self.enums[f"{prefix}.{e.name}"] = e
        for m in messages:
            name = f"{prefix}.{m.name}"
            self.messages[name] = m
            self._index(name, m.nested_type, m.enum_type)

    # -- fields --

    def is_map(self, field) -> bool:
        return (field.label == F.LABEL_REPEATED and field.type == F.TYPE_MESSAGE
                and self.messages[field.type_name].options.map_entry)

    def element(self, field):
        """(Swift type, value->ProtoValue template, ProtoValue element reader template)."""
        if field.type == F.TYPE_MESSAGE:
            t = swift_type_name(field.type_name)
            return t, ".message({v}.protoMessage)", t + "(protoMessage: {e}.messageValue)"
        if field.type == F.TYPE_ENUM:
            t = swift_type_name(field.type_name)
            return t, ".enumValue({v}.rawValue)", t + "(rawValue: {e}.enumRawValue)"
        if field.type not in SCALARS:
            raise SystemExit(f"unsupported field type {field.type} in {field.name}")
        swift, value, _, reader = SCALARS[field.type]
        return swift, value, reader

    def singular_reader(self, field, m: str) -> str:
        n = f'"{field.name}"'
        if field.type == F.TYPE_ENUM:
            return f"{swift_type_name(field.type_name)}(rawValue: {m}.enumValue({n}))"
        return SCALARS[field.type][2].format(m=m, n=n)

    def default(self, field) -> str:
        if field.type == F.TYPE_ENUM:
            return f"{swift_type_name(field.type_name)}()"
        return DEFAULTS[SCALARS[field.type][0]]

    # -- enums --

    def enum(self, e, type_name: str, indent: str) -> list:
        short = type_name.split(".")[-1]
        cases = []
        seen = set()
        for v in e.value:
            if v.number in seen:
                continue  # an alias; the first name is the case
            seen.add(v.number)
            case = enum_case_name(e.name, v.name)
            cases.append((escaped(case), case, v.number, v.name))
        first = cases[0][1]
        out = [f"{indent}public enum {short}: ProtoEnum {{"]
        for decl, _, number, proto in cases:
            out.append(f"{indent}    case {decl}  // {proto} = {number}")
        out.append(f"{indent}    /// A value this build's protos do not name; kept so it survives a round trip.")
        out.append(f"{indent}    case UNRECOGNIZED(Int32)")
        out.append("")
        out.append(f"{indent}    public init() {{ self = .{first} }}")
        out.append("")
        out.append(f"{indent}    public init(rawValue: Int32) {{")
        out.append(f"{indent}        switch rawValue {{")
        for _, use, number, _ in cases:
            out.append(f"{indent}        case {number}: self = .{use}")
        out.append(f"{indent}        default: self = .UNRECOGNIZED(rawValue)")
        out.append(f"{indent}        }}")
        out.append(f"{indent}    }}")
        out.append("")
        out.append(f"{indent}    public var rawValue: Int32 {{")
        out.append(f"{indent}        switch self {{")
        for _, use, number, _ in cases:
            out.append(f"{indent}        case .{use}: return {number}")
        out.append(f"{indent}        case .UNRECOGNIZED(let value): return value")
        out.append(f"{indent}        }}")
        out.append(f"{indent}    }}")
        out.append("")
        out.append(f"{indent}    /// The value's name in the proto (\"NOT_SERVING\"), or its number when this build does not name it.")
        out.append(f"{indent}    public var protoName: String {{")
        out.append(f"{indent}        switch self {{")
        for _, use, _, proto in cases:
            out.append(f'{indent}        case .{use}: return "{proto}"')
        out.append(f"{indent}        case .UNRECOGNIZED(let value): return String(value)")
        out.append(f"{indent}        }}")
        out.append(f"{indent}    }}")
        out.append("")
        out.append(f"{indent}    public static let knownCases: [{short}] = [{', '.join('.' + c[1] for c in cases)}]")
        out.append(f"{indent}}}")
        return out

    # -- messages --

    def message(self, full: str, m, indent: str) -> list:
        type_name = swift_type_name(full)
        short = type_name.split(".")[-1]
        oneofs = {}  # index -> [fields]
        plain = []
        for field in m.field:
            if field.HasField("oneof_index") and not field.proto3_optional:
                oneofs.setdefault(field.oneof_index, []).append(field)
            else:
                if field.proto3_optional:
                    raise SystemExit(f"{full}.{field.name}: proto3 optional is not supported yet")
                plain.append(field)

        names = set()

        def claim(name):
            if name in names:
                raise SystemExit(f"{full}: generated name {name} is used twice")
            names.add(name)

        body = []
        stored = []     # (stored name, Swift type, default) for init()
        for field in plain:
            prop = camel(field.name)
            claim(prop)
            p = escaped(prop)
            if self.is_map(field):
                entry = self.messages[field.type_name]
                k = self.element(entry.field[0])[0]
                v = self.element(entry.field[1])[0]
                body.append(f"{indent}    public var {p}: [{k}: {v}] = [:]")
            elif field.label == F.LABEL_REPEATED:
                t = self.element(field)[0]
                body.append(f"{indent}    public var {p}: [{t}] = []")
            elif field.type == F.TYPE_MESSAGE:
                t = swift_type_name(field.type_name)
                up = camel(field.name, upper_first=True)
                claim(f"has{up}")
                claim(f"clear{up}")
                body.append(f"{indent}    public var {p}: {t} {{")
                body.append(f"{indent}        get {{ _{prop} ?? {t}() }}")
                body.append(f"{indent}        set {{ _{prop} = newValue }}")
                body.append(f"{indent}    }}")
                body.append(f"{indent}    public var has{up}: Bool {{ _{prop} != nil }}")
                body.append(f"{indent}    public mutating func clear{up}() {{ _{prop} = nil }}")
                body.append(f"{indent}    private var _{prop}: {t}? = nil")
            else:
                body.append(f"{indent}    public var {p}: {self.element(field)[0]} = {self.default(field)}")
        for index, members in sorted(oneofs.items()):
            oneof = m.oneof_decl[index].name
            prop = camel(oneof)
            enum_name = "OneOf_" + camel(oneof, upper_first=True)
            claim(prop)
            body.append(f"{indent}    public var {escaped(prop)}: {enum_name}? = nil")
            body.append(f"{indent}    public enum {enum_name}: Equatable, Sendable {{")
            for field in members:
                body.append(f"{indent}        case {escaped(camel(field.name))}({self.element(field)[0]})")
            body.append(f"{indent}    }}")
            for field in members:
                member = camel(field.name)
                claim(member)
                t = self.element(field)[0]
                default = f"{t}()" if field.type in (F.TYPE_MESSAGE, F.TYPE_ENUM) else self.default(field)
                body.append(f"{indent}    /// The `{oneof}` oneof's `{field.name}`: its default when another member (or none) is set.")
                body.append(f"{indent}    public var {escaped(member)}: {t} {{")
                body.append(f"{indent}        get {{ if case .{member}(let v)? = {escaped(prop)} {{ return v }} else {{ return {default} }} }}")
                body.append(f"{indent}        set {{ {escaped(prop)} = .{member}(newValue) }}")
                body.append(f"{indent}    }}")

        out = []
        out.append(f"{indent}/// `{full.lstrip('.')}`")
        out.append(f"{indent}public struct {short}: ProtoMessageType {{")
        out.append(f'{indent}    public static let protoTypeName = "{full.lstrip(".")}"')
        out.append(f"{indent}    public static let protoDescriptor = ProtoRegistry.descriptor(of: protoTypeName)")
        out.append("")
        out += body
        out.append("")
        out.append(f"{indent}    public init() {{}}")
        out.append("")
        out += self.reader(m, plain, oneofs, indent)
        out.append("")
        out += self.writer(m, plain, oneofs, indent)
        for e in m.enum_type:
            out.append("")
            out += self.enum(e, f"{type_name}.{e.name}", indent + "    ")
        for nested in m.nested_type:
            if nested.options.map_entry:
                continue
            out.append("")
            out += self.message(f"{full}.{nested.name}", nested, indent + "    ")
        out.append(f"{indent}}}")
        return out

    def reader(self, m, plain, oneofs, indent) -> list:
        i = indent + "        "
        out = [f"{indent}    public init(protoMessage m: ProtoMessage) {{"]
        for field in plain:
            prop = camel(field.name)
            n = f'"{field.name}"'
            if self.is_map(field):
                entry = self.messages[field.type_name]
                kf, vf = entry.field[0], entry.field[1]
                if vf.type == F.TYPE_MESSAGE:
                    vt = swift_type_name(vf.type_name)
                    value = f"$0.message(\"value\").map({vt}.init(protoMessage:)) ?? {vt}()"
                else:
                    value = self.singular_reader(vf, "$0")
                out.append(f"{i}{escaped(prop)} = m.map({n}, key: {{ {self.singular_reader(kf, '$0')} }}, value: {{ {value} }})")
            elif field.label == F.LABEL_REPEATED:
                reader = self.element(field)[2].format(e="$0")
                out.append(f"{i}{escaped(prop)} = m.list({n}).map {{ {reader} }}")
            elif field.type == F.TYPE_MESSAGE:
                t = swift_type_name(field.type_name)
                out.append(f"{i}_{prop} = m.message({n}).map({t}.init(protoMessage:))")
            else:
                out.append(f"{i}{escaped(prop)} = {self.singular_reader(field, 'm')}")
        for index, members in sorted(oneofs.items()):
            prop = escaped(camel(m.oneof_decl[index].name))
            for k, field in enumerate(members):
                keyword = "if" if k == 0 else "} else if"
                out.append(f'{i}{keyword} let v = m["{field.name}"] {{')
                out.append(f"{i}    {prop} = .{camel(field.name)}({self.element(field)[2].format(e='v')})")
            out.append(f"{i}}}")
        out.append(f"{indent}    }}")
        return out

    def writer(self, m, plain, oneofs, indent) -> list:
        i = indent + "        "
        out = [f"{indent}    public var protoMessage: ProtoMessage {{"]
        if not m.field:
            return out + [f"{i}ProtoMessage(Self.protoDescriptor)", f"{indent}    }}"]
        out.append(f"{i}var m = ProtoMessage(Self.protoDescriptor)")
        for field in plain:
            prop = camel(field.name)
            n = f'"{field.name}"'
            if self.is_map(field):
                entry = self.messages[field.type_name]
                key = self.element(entry.field[0])[1].format(v="$0")
                value = self.element(entry.field[1])[1].format(v="$0")
                out.append(f"{i}m.setMap({n}, {escaped(prop)}, key: {{ {key} }}, value: {{ {value} }})")
            elif field.label == F.LABEL_REPEATED:
                value = self.element(field)[1].format(v="$0")
                out.append(f"{i}m[{n}] = .list({escaped(prop)}.map {{ {value} }})")
            elif field.type == F.TYPE_MESSAGE:
                out.append(f"{i}if let v = _{prop} {{ m[{n}] = .message(v.protoMessage) }}")
            else:
                out.append(f"{i}m[{n}] = {self.element(field)[1].format(v=escaped(prop))}")
        for index, members in sorted(oneofs.items()):
            prop = escaped(camel(m.oneof_decl[index].name))
            out.append(f"{i}switch {prop} {{")
            for field in members:
                value = self.element(field)[1].format(v="v")
                out.append(f'{i}case .{camel(field.name)}(let v)?: m["{field.name}"] = {value}')
            out.append(f"{i}case nil: break")
            out.append(f"{i}}}")
        out.append(f"{i}return m")
        out.append(f"{indent}    }}")
        return out

    # -- services --

    def service(self, package: str, s) -> list:
        name = f"{package}.{s.name}"
        type_name = swift_type_name(f".{name}")
        out = [f"/// The `{name}` service: its name and a typed descriptor per method.",
               f"public enum {type_name} {{",
               f'    public static let serviceName = "{name}"']
        for method in s.method:
            request = swift_type_name(method.input_type)
            response = swift_type_name(method.output_type)
            out.append(f"    public static let {escaped(camel(method.name[0].lower() + method.name[1:]))} = "
                       f'ProtoMethod<{request}, {response}>("{name}/{method.name}")')
        out.append("}")
        return out

    def file(self, fd) -> str:
        out = [f"// Generated by Scripts/gen_swift_messages.py from {fd.name}. Do not edit.", ""]
        for e in fd.enum_type:
            out += self.enum(e, swift_type_name(f".{fd.package}.{e.name}"), "")
            out.append("")
        for m in fd.message_type:
            out += self.message(f".{fd.package}.{m.name}", m, "")
            out.append("")
        for s in fd.service:
            out += self.service(fd.package, s)
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def check_no_recursion(self):
        """A struct cannot hold itself: refuse a message that contains itself by singular fields."""
        def walk(name, path):
            for field in self.messages[name].field:
                if field.type != F.TYPE_MESSAGE or field.label == F.LABEL_REPEATED:
                    continue
                if field.type_name in path:
                    raise SystemExit(f"{field.type_name} contains itself; boxed storage is not generated yet")
                walk(field.type_name, path | {field.type_name})
        for name in self.messages:
            walk(name, {name})


def all_types_file(generator) -> str:
    names = sorted(n for n, m in generator.messages.items() if not m.options.map_entry)
    out = ["// Generated by Scripts/gen_swift_messages.py from Protos/. Do not edit.", "",
           "/// Every generated message type, by full proto name (wire fixtures, tools).",
           "public enum ProtoMessageTypes {",
           "    public static let all: [String: any ProtoMessageType.Type] = ["]
    out += [f'        "{n.lstrip(".")}": {swift_type_name(n)}.self,' for n in names]
    out += ["    ]", "",
            "    /// Every method's generated request and response types, by full method name.",
            "    public static let methods: [String: (request: any ProtoMessageType.Type, response: any ProtoMessageType.Type)] = ["]
    for fd in generator.files:
        for service in fd.service:
            for method in service.method:
                out.append(f'        "{fd.package}.{service.name}/{method.name}": '
                           f"({swift_type_name(method.input_type)}.self, {swift_type_name(method.output_type)}.self),")
    out += ["    ]", "}", ""]
    return "\n".join(out)


def main(set_path: str, out_dir: str) -> None:
    files = descriptor_pb2.FileDescriptorSet()
    with open(set_path, "rb") as f:
        files.ParseFromString(f.read())
    ours = [fd for fd in files.file if fd.package.startswith("irg.")]
    generator = Generator(ours)
    generator.check_no_recursion()
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        if name.endswith(".pb.swift"):
            os.remove(os.path.join(out_dir, name))
    with open(os.path.join(out_dir, "all_types.pb.swift"), "w") as f:
        f.write(all_types_file(generator))
    for fd in ours:
        base = os.path.basename(fd.name)[: -len(".proto")]
        with open(os.path.join(out_dir, f"{base}.pb.swift"), "w") as f:
            f.write(generator.file(fd))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
