using Clinical.Fhir.Notes;
using Clinical.Fhir.Parsing;
using Clinical.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace Clinical.Fhir.Extraction;

/// <summary>The patient records found in one or more parsed inputs, and what could not be placed.</summary>
public sealed record ExtractionResult(IReadOnlyList<PatientRecord> Patients, IReadOnlyList<InputIssue> Issues);

/// <summary>
/// Splits accepted resources by Patient compartment and extracts each patient's record as known on
/// the as-of date. References resolve by fullUrl (urn:uuid: or absolute) and by Type/id.
/// </summary>
public sealed class PatientRecordExtractor(InputLimits limits, TimeProvider clock)
{
    /// <summary>The types a record is built from that belong to one patient (their subject or patient).</summary>
    private static readonly string[] ClinicalTypes =
    [
        "Observation",
        "Condition",
        "MedicationStatement",
        "MedicationRequest",
        "Encounter",
        "DocumentReference",
        "DiagnosticReport",
        "Composition",
    ];

    /// <summary>
    /// Every resource type a patient record is built from: Patient, the clinical types, and Medication (resolved from
    /// medication references). A Bulk Data export for screening asks for these and no others (`_type`).
    /// </summary>
    public static readonly IReadOnlyList<string> ResourceTypesRead = ["Patient", .. ClinicalTypes, "Medication"];

    public PatientRecordExtractor()
        : this(InputLimits.Default) { }

    public PatientRecordExtractor(InputLimits limits)
        : this(limits, TimeProvider.System) { }

    /// <param name="serverBase">The FHIR base the resources were fetched from, when known (a CDS hook's
    /// fhirServer): emitted resources then refer to them by absolute URL.</param>
    public ExtractionResult Extract(
        IReadOnlyList<AcceptedResource> resources,
        DateOnly asOf,
        string source,
        Uri? serverBase = null
    )
    {
        var issues = new List<InputIssue>();
        var patients = new Dictionary<string, PatientBuilder>(StringComparer.Ordinal);
        var aliases = new Dictionary<string, PatientBuilder>(StringComparer.Ordinal);
        var medications = new Dictionary<string, Medication>(StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        foreach (var accepted in resources)
        {
            switch (accepted.Resource)
            {
                case Patient patient:
                    var reference = ReferenceOf(accepted);
                    if (patients.ContainsKey(reference))
                        break;
                    var birth = FhirDates.DateOf(patient.BirthDate);
                    if (birth is { } born && Plausibility.BirthDateProblem(born, asOf, today) is { } problem)
                    {
                        issues.Add(
                            new InputIssue(
                                IssueSeverity.Warning,
                                "value",
                                $"{reference}: {problem}",
                                $"{accepted.Location}.birthDate",
                                Source: source
                            )
                        );
                        birth = null;
                    }
                    var builder = new PatientBuilder(patient, reference, serverBase, birth);
                    builder.Links.Add(reference, accepted, serverBase);
                    patients[reference] = builder;
                    foreach (var alias in Aliases(accepted))
                        aliases.TryAdd(alias, builder);
                    break;
                case Medication medication:
                    foreach (var alias in Aliases(accepted))
                        medications.TryAdd(alias, medication);
                    break;
            }
        }

        foreach (var accepted in resources)
        {
            if (accepted.Resource is Patient or Medication)
                continue;
            var subject = SubjectOf(accepted.Resource);
            if (subject is null)
                continue;
            if (Resolve(subject, aliases) is not { } owner)
            {
                if (IsClinical(accepted.Resource))
                    issues.Add(
                        new InputIssue(
                            IssueSeverity.Warning,
                            "not-found",
                            $"{accepted.Resource.TypeName} refers to patient '{subject}', which is not in the input; "
                                + "it was not used.",
                            accepted.Location,
                            Source: source
                        )
                    );
                continue;
            }
            owner.Add(accepted, ReferenceOf(accepted), asOf, medications, limits, issues, source);
        }

        foreach (var builder in patients.Values.Where(b => b.MeasuredAfterAsOf > 0))
            issues.Add(
                new InputIssue(
                    IssueSeverity.Warning,
                    "value",
                    $"{builder.Reference}: {Plausibility.AfterAsOf(builder.MeasuredAfterAsOf, asOf)}",
                    Source: source
                )
            );
        // An empty Bundle too: the caller is told why nothing came back (an OperationOutcome always has an issue).
        if (patients.Count == 0)
            issues.Add(
                new InputIssue(
                    IssueSeverity.Warning,
                    "not-found",
                    resources.Count == 0
                        ? "The input holds no resources (an empty Bundle?), so there is nobody to screen."
                        : "The input has no Patient resource, so there is nobody to screen.",
                    Source: source
                )
            );
        return new ExtractionResult(patients.Values.Select(p => p.Build(asOf)).ToList(), issues);
    }

    /// <summary>How evidence points at a resource: "Type/id" when it has an id, else its fullUrl.</summary>
    public static string ReferenceOf(AcceptedResource accepted) =>
        !string.IsNullOrEmpty(accepted.Resource.Id)
            ? $"{accepted.Resource.TypeName}/{accepted.Resource.Id}"
            : accepted.FullUrl ?? accepted.Location;

    private static IEnumerable<string> Aliases(AcceptedResource accepted)
    {
        if (!string.IsNullOrEmpty(accepted.FullUrl))
            yield return accepted.FullUrl;
        if (!string.IsNullOrEmpty(accepted.Resource.Id))
            yield return $"{accepted.Resource.TypeName}/{accepted.Resource.Id}";
    }

    private static PatientBuilder? Resolve(string reference, Dictionary<string, PatientBuilder> aliases) =>
        aliases.TryGetValue(reference, out var found) ? found
        : ReferenceText.PatientKey(reference) is { } key && aliases.TryGetValue(key, out found) ? found
        : null;

    private static bool IsClinical(Resource resource) => ClinicalTypes.Contains(resource.TypeName);

    private static string? SubjectOf(Resource resource) =>
        resource switch
        {
            Observation o => o.Subject?.Reference,
            Condition c => c.Subject?.Reference,
            MedicationStatement s => s.Subject?.Reference,
            MedicationRequest r => r.Subject?.Reference,
            Encounter e => e.Subject?.Reference,
            DocumentReference d => d.Subject?.Reference,
            DiagnosticReport r => r.Subject?.Reference,
            Composition c => c.Subject?.Reference,
            AllergyIntolerance a => a.Patient?.Reference,
            Procedure p => p.Subject?.Reference,
            _ => null,
        };

    private sealed class PatientBuilder(Patient patient, string reference, Uri? serverBase, DateOnly? birth)
    {
        public SourceLinks Links { get; } = new();

        public string Reference => reference;

        /// <summary>Measurements left out because they are dated after the as-of date.</summary>
        public int MeasuredAfterAsOf { get; private set; }

        private readonly List<Measurement> _measurements = [];
        private readonly List<Diagnosis> _diagnoses = [];
        private readonly List<MedicationUse> _medications = [];
        private readonly List<EncounterVisit> _encounters = [];
        private readonly List<ClinicalNote> _notes = [];
        private readonly List<UnreadNote> _unread = [];

        public void Add(
            AcceptedResource accepted,
            string source,
            DateOnly asOf,
            Dictionary<string, Medication> medications,
            InputLimits limits,
            List<InputIssue> issues,
            string inputName
        )
        {
            var problems = new List<string>();
            Links.Add(source, accepted, serverBase);
            switch (accepted.Resource)
            {
                case Observation observation:
                    foreach (var measurement in MeasurementExtractor.Extract(observation, source, problems))
                    {
                        if (!FhirDates.KnownOn(measurement.When, asOf))
                            MeasuredAfterAsOf++;
                        else if (Plausibility.MeasurementProblem(measurement, birth) is { } implausible)
                            problems.Add(implausible);
                        else
                            _measurements.Add(measurement);
                    }
                    break;
                case Condition condition:
                    _diagnoses.AddRange(
                        ConditionExtractor.Extract(condition, source).Where(d => FhirDates.KnownOn(d.When, asOf))
                    );
                    break;
                case MedicationStatement or MedicationRequest:
                    _medications.AddRange(
                        MedicationExtractor
                            .Extract(accepted.Resource, source, medications)
                            .Where(m => FhirDates.KnownOn(m.When, asOf))
                    );
                    break;
                case Encounter encounter:
                    var visit = new EncounterVisit(
                        FhirDates.Of(encounter.Period),
                        encounter.Class?.Code,
                        encounter
                            .ReasonCode.Select(r =>
                                r.Text ?? r.Coding.FirstOrDefault()?.Display ?? r.Coding.FirstOrDefault()?.Code ?? ""
                            )
                            .Where(r => r.Length > 0)
                            .ToList(),
                        source
                    );
                    if (FhirDates.KnownOn(visit.When, asOf))
                        _encounters.Add(visit);
                    break;
                case DocumentReference or DiagnosticReport or Composition:
                    var notes = new List<ClinicalNote>();
                    NoteExtractor.Extract(accepted.Resource, source, limits.MaxNoteCharacters, notes, _unread);
                    _notes.AddRange(notes.Where(n => FhirDates.KnownOn(n.When, asOf)));
                    break;
            }
            issues.AddRange(
                problems.Select(p => new InputIssue(
                    IssueSeverity.Warning,
                    "value",
                    p,
                    accepted.Location,
                    Source: inputName
                ))
            );
        }

        public PatientRecord Build(DateOnly asOf) =>
            new(
                reference,
                asOf,
                birth,
                patient.Gender switch
                {
                    AdministrativeGender.Female => Sex.Female,
                    AdministrativeGender.Male => Sex.Male,
                    AdministrativeGender.Other => Sex.Other,
                    _ => Sex.Unknown,
                },
                _measurements.OrderBy(m => m.When).ToList(),
                _diagnoses,
                _medications,
                _encounters.OrderBy(e => e.When).ToList(),
                _notes.OrderBy(n => n.When).ToList(),
                _unread
            )
            {
                Death = DeathBy(asOf),
                Attribution = PatientAttribution.Of(patient),
                Links = Links,
            };

        /// <summary>
        /// deceasedBoolean true, or deceasedDateTime on or before the as-of date (a partial date counts from its first
        /// day, so "2024" means dead from 1 January 2024 on).
        /// </summary>
        private Death? DeathBy(DateOnly asOf) =>
            patient.Deceased switch
            {
                FhirBoolean { Value: true } => new Death(null, reference),
                FhirDateTime dateTime when FhirDates.DateOf(dateTime.Value) is { } day && day <= asOf => new Death(
                    day,
                    reference
                ),
                _ => null,
            };
    }
}
