// Counts what Pipelines.dll shows a build author: types and members visible outside the assembly. Run by
// pipelines/public-api.sh as a file-based app (dotnet run PublicApiCount.cs -- <dll>); it reads metadata only
// (System.Reflection.Metadata, in the shared framework), so the library's dependencies need not be loadable.
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine($"usage: dotnet run PublicApiCount.cs -- <path to Pipelines.dll> [--list]; got '{string.Join(' ', args)}'");
    return 2;
}

using var stream = File.OpenRead(args[0]);
using var pe = new PEReader(stream);
var md = pe.GetMetadataReader();
var list = args.Contains("--list");

var types = 0;
var members = 0;
var names = new List<string>();
foreach (var handle in md.TypeDefinitions)
{
    var type = md.GetTypeDefinition(handle);
    if (!IsVisible(type)) continue;
    var name = md.GetString(type.Name);
    if (name.StartsWith('<')) continue; // compiler-generated (<Module>, closures)
    types++;
    names.Add(FullName(type));
    var sealedType = (type.Attributes & TypeAttributes.Sealed) != 0;
    foreach (var m in type.GetMethods())
    {
        var method = md.GetMethodDefinition(m);
        if (md.GetString(method.Name).StartsWith('<')) continue; // <Clone>$ and friends
        if (Visible(method.Attributes & MethodAttributes.MemberAccessMask, sealedType)) members++;
    }
    foreach (var f in type.GetFields())
    {
        var field = md.GetFieldDefinition(f);
        if ((field.Attributes & FieldAttributes.RTSpecialName) != 0) continue; // an enum's value__
        if (Visible((MethodAttributes)(int)(field.Attributes & FieldAttributes.FieldAccessMask), sealedType)) members++;
    }
    // A property or event counts once more beside its accessors, as reflection's GetMembers lists it.
    foreach (var p in type.GetProperties())
    {
        var accessors = md.GetPropertyDefinition(p).GetAccessors();
        if (new[] { accessors.Getter, accessors.Setter }.Any(a => !a.IsNil && AccessorVisible(a, sealedType))) members++;
    }
    foreach (var e in type.GetEvents())
        if (AccessorVisible(md.GetEventDefinition(e).GetAccessors().Adder, sealedType)) members++;
}

if (list)
    foreach (var n in names.Order(StringComparer.Ordinal)) Console.WriteLine(n);
Console.WriteLine($"public types: {types}");
Console.WriteLine($"public members: {members} (methods, constructors, accessors, fields, properties, events)");
return 0;

// public, protected and protected internal reach a build author; protected only where the type can be derived from.
static bool Visible(MethodAttributes access, bool sealedType) =>
    access == MethodAttributes.Public ||
    (!sealedType && access is MethodAttributes.Family or MethodAttributes.FamORAssem);

bool AccessorVisible(MethodDefinitionHandle accessor, bool sealedType) =>
    Visible(md.GetMethodDefinition(accessor).Attributes & MethodAttributes.MemberAccessMask, sealedType);

bool IsVisible(TypeDefinition type)
{
    var visibility = type.Attributes & TypeAttributes.VisibilityMask;
    if (visibility == TypeAttributes.Public) return true;
    if (visibility is not (TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem)) return false;
    return IsVisible(md.GetTypeDefinition(type.GetDeclaringType()));
}

string FullName(TypeDefinition type)
{
    var name = md.GetString(type.Name);
    if (type.IsNested) return FullName(md.GetTypeDefinition(type.GetDeclaringType())) + "+" + name;
    var ns = md.GetString(type.Namespace);
    return ns.Length == 0 ? name : ns + "." + name;
}
