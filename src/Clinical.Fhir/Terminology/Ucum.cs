namespace Clinical.Fhir.Terminology;

public static class Ucum
{
    public const string System = "http://unitsofmeasure.org";
}
