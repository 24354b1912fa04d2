using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;

namespace Clinical.Synthetic.Resources;

/// <summary>Writes a <see cref="ClinicalHistory"/> as FHIR R4 resources with explicit object initialisers.</summary>
internal sealed partial class FhirResources
{
    private readonly ClinicalHistory _history;
    private readonly CohortOptions _options;
    private readonly ReferenceStyle _style;
    private readonly SeededRandom _rng;
    private readonly List<Resource> _resources = [];
    private readonly ResourceReference _patient;
    private readonly string _region;
    private readonly ResourceReference?[] _roles = new ResourceReference?[2];
    private int _ordinal;

    private FhirResources(ClinicalHistory history, CohortOptions options, ReferenceStyle style)
    {
        _history = history;
        _options = options;
        _style = style;
        _rng = new SeededRandom(options.Seed, history.Person.Index, RandomStream.Identity);
        _patient = Reference("Patient", history.Person.Id);
        _region = history.Person.Region;
    }

    public static SyntheticPatient Build(ClinicalHistory history, CohortOptions options, ReferenceStyle style) =>
        new FhirResources(history, options, style).Build();

    private SyntheticPatient Build()
    {
        var person = _history.Person;
        _resources.Add(PatientResource());
        foreach (var (comorbidity, onset) in person.Comorbidities)
        {
            if (_history.CodedComorbidities[comorbidity])
            {
                var (snomed, icd) = SyntheticCodes.ComorbidityCodes[comorbidity];
                Add(ConditionResource(Codings(snomed, icd), onset, onset));
            }
        }
        if (_history.AnaemiaCoded)
        {
            var onset = _options.AsOfDate.AddDays(-_rng.Next(60, 1200));
            Add(ConditionResource(Codings(SyntheticCodes.Anaemia, SyntheticCodes.AnaemiaIcd), onset, onset));
        }
        if (_history.VenousInsufficiencyCoded)
        {
            var onset = _options.AsOfDate.AddDays(-_rng.Next(200, 3000));
            Add(
                ConditionResource(
                    new CodeableConcept
                    {
                        Coding = [Coding(SyntheticCodes.VenousInsufficiencyIcd)],
                        Text = "Insuficiencia venosa crónica",
                    },
                    onset,
                    onset
                )
            );
        }
        if (person is { HfStatus: HfStatus.Diagnosed, HfDiagnosis: { } diagnosis })
        {
            Add(ConditionResource(HeartFailureCode(person.Phenotype!.Value), diagnosis, diagnosis));
        }
        foreach (var course in _history.Medications)
        {
            Add(MedicationResource(course));
        }

        var notes = new List<NoteLanguage>();
        double? latestNtProBnp = null;
        var notesRng = new SeededRandom(_options.Seed, person.Index, RandomStream.Notes);
        foreach (var visit in _history.Visits)
        {
            var roleRef = Role(visit.Author);
            var encounter = Add(EncounterResource(visit, roleRef));
            if (visit.Vitals is { } vitals)
            {
                AddVitals(visit, vitals, encounter);
            }
            foreach (var lab in visit.Labs)
            {
                Add(LabResource(lab, encounter));
                if (lab.Test == LabTest.NtProBnp && DateOnly.FromDateTime(lab.Drawn) <= _options.AsOfDate)
                {
                    latestNtProBnp = lab.Value;
                }
            }
            if (visit.EchoLvef is { } lvef)
            {
                Add(EchoResource(visit, lvef, encounter));
            }
            if (visit.WriteNote)
            {
                var language = notesRng.Chance(person.RegionalNoteShare)
                    ? person.RegionalLanguage
                    : NoteLanguage.Spanish;
                var text = NoteWriter.Compose(_history, visit, language, notesRng);
                Add(NoteResource(visit, text, language, notesRng.Chance(0.85), roleRef, encounter));
                notes.Add(language);
            }
        }

        var truth = new PatientTruth(
            person.Id,
            person.HfStatus,
            person.HfOnset,
            person.HfDiagnosis,
            person.Phenotype,
            person.Comorbidities.Keys.ToList(),
            person.Mimics()
        );
        return new SyntheticPatient(truth, _resources, _style, _options.AsOfDate)
        {
            NoteLanguages = notes,
            LatestNtProBnpPgPerMl = latestNtProBnp,
            AgeAtAsOf = person.AgeAtAsOf,
        };
    }

    private ResourceReference Role(CareRole role)
    {
        var index = (int)role;
        return _roles[index] ??= Add(
            new PractitionerRole
            {
                Active = true,
                Code =
                [
                    role == CareRole.Physician
                        ? Concept(SyntheticCodes.PractitionerRoleCodes, "doctor", "Doctor", "Médico de familia")
                        : Concept(SyntheticCodes.PractitionerRoleCodes, "nurse", "Nurse", "Enfermera"),
                ],
            }
        );
    }

    private ResourceReference Add(Resource resource)
    {
        resource.Id = SyntheticIds.Resource(_options.Seed, _history.Person.Index, _ordinal++);
        _resources.Add(resource);
        return Reference(resource.TypeName, resource.Id);
    }

    private ResourceReference Reference(string type, string id) =>
        new(_style == ReferenceStyle.UrnUuid ? "urn:uuid:" + id : type + "/" + id);

    private Patient PatientResource()
    {
        var person = _history.Person;
        var (given, family1, family2) = PersonNames.Pick(_rng, person.Female, person.RegionalLanguage);
        return new Patient
        {
            Id = person.Id,
            Identifier =
            [
                new Identifier(
                    SyntheticCodes.PatientIdentifierSystem,
                    "SYN" + person.Index.ToString("D8", CultureInfo.InvariantCulture)
                ),
            ],
            Active = true,
            Name =
            [
                new HumanName
                {
                    Use = HumanName.NameUse.Official,
                    Family = family1 + " " + family2,
                    Given = [given],
                },
            ],
            Gender = person.Female ? AdministrativeGender.Female : AdministrativeGender.Male,
            BirthDate = SpanishCalendar.FhirDate(person.BirthDate),
            Address = [new Address { State = person.Region, Country = "ES" }],
            GeneralPractitioner =
            [
                People.CareTeams.Logical(
                    People.CareTeams.Of(person.Index).Practitioner,
                    People.CareTeams.Of(person.Index).Name
                ),
            ],
            ManagingOrganization = People.CareTeams.Logical(
                People.CareTeams.Of(person.Index).Practice,
                People.CareTeams.Of(person.Index).PracticeName
            ),
            Communication =
            [
                new Patient.CommunicationComponent
                {
                    Language = Concept(
                        "urn:ietf:bcp:47",
                        person.RegionalNoteShare > 0 ? person.RegionalLanguage.ToCode() : "es",
                        null,
                        null
                    ),
                    Preferred = true,
                },
            ],
        };
    }

    private Condition ConditionResource(CodeableConcept code, DateOnly onset, DateOnly recorded) =>
        new()
        {
            ClinicalStatus = Concept(SyntheticCodes.ConditionClinical, "active", "Active", null),
            VerificationStatus = Concept(SyntheticCodes.ConditionVerification, "confirmed", "Confirmed", null),
            Category =
            [
                Concept(SyntheticCodes.ConditionCategorySystem, "problem-list-item", "Problem List Item", null),
            ],
            Code = code,
            Subject = _patient,
            Onset = new FhirDateTime(SpanishCalendar.FhirDate(onset)),
            RecordedDate = SpanishCalendar.FhirDate(recorded),
        };

    private CodeableConcept Codings(SyntheticCodes.Code snomed, SyntheticCodes.Code icd)
    {
        var roll = _rng.NextDouble();
        var codings =
            roll < 0.45 ? new List<Coding> { Coding(icd) }
            : roll < 0.7 ? [Coding(snomed)]
            : [Coding(icd), Coding(snomed)];
        return new CodeableConcept { Coding = codings, Text = icd.Display };
    }

    private CodeableConcept HeartFailureCode(HfPhenotype phenotype)
    {
        var snomed = _rng.NextDouble() switch
        {
            < 0.45 => SyntheticCodes.HeartFailure,
            < 0.6 => SyntheticCodes.CongestiveHeartFailure,
            < 0.7 => SyntheticCodes.ChronicCongestiveHeartFailure,
            _ => phenotype switch
            {
                HfPhenotype.HFrEF => SyntheticCodes.ReducedEjectionFractionHf,
                HfPhenotype.HFpEF => SyntheticCodes.NormalEjectionFractionHf,
                _ => SyntheticCodes.HeartFailure,
            },
        };
        var icd = _rng.NextDouble() switch
        {
            < 0.15 => SyntheticCodes.HfCongestiveWho,
            < 0.25 => SyntheticCodes.HfUnspecifiedWho,
            < 0.6 => SyntheticCodes.HfUnspecified,
            _ => phenotype switch
            {
                HfPhenotype.HFrEF => SyntheticCodes.HfChronicSystolic,
                HfPhenotype.HFpEF => SyntheticCodes.HfChronicDiastolic,
                _ => SyntheticCodes.HfUnspecified,
            },
        };
        var concept = Codings(snomed, icd);
        concept.Text = "Insuficiencia cardiaca";
        return concept;
    }

    private MedicationStatement MedicationResource(MedicationCourse course)
    {
        var drug = SyntheticCodes.Drugs[course.Drug];
        var (atc, name, rxNorm) = (drug.Atc, drug.Spanish, drug.RxNorm);
        var codings = new List<Coding> { new(SyntheticCodes.Atc, atc, name) };
        if (rxNorm is not null && _rng.Chance(0.35))
        {
            codings.Add(new Coding(SyntheticCodes.RxNorm, rxNorm, name));
        }
        return new MedicationStatement
        {
            Status = course.End is null
                ? MedicationStatement.MedicationStatusCodes.Active
                : MedicationStatement.MedicationStatusCodes.Completed,
            Medication = new CodeableConcept { Coding = codings, Text = name },
            Subject = _patient,
            Effective = new Period
            {
                Start = SpanishCalendar.FhirDate(course.Start),
                End = course.End is { } end ? SpanishCalendar.FhirDate(end) : null,
            },
            DateAsserted = SpanishCalendar.FhirDateTime(course.Start.ToDateTime(new TimeOnly(10, 0)), _region),
        };
    }

    private Encounter EncounterResource(ClinicalVisit visit, ResourceReference author) =>
        new()
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding(SyntheticCodes.ActCode, "AMB", "ambulatory"),
            Type =
            [
                new CodeableConcept
                {
                    Text =
                        visit.Author == CareRole.Physician
                            ? "Consulta de medicina de familia"
                            : "Consulta de enfermería",
                },
            ],
            Subject = _patient,
            Participant = [new Encounter.ParticipantComponent { Individual = author }],
            Period = new Period
            {
                Start = SpanishCalendar.FhirDateTime(visit.Start, _region),
                End = SpanishCalendar.FhirDateTime(
                    visit.Start.AddMinutes(visit.Author == CareRole.Physician ? 10 : 15),
                    _region
                ),
            },
        };

    private static Coding Coding(SyntheticCodes.Code code) => new(code.System, code.Value, code.Display);

    private static CodeableConcept Concept(SyntheticCodes.Code code) =>
        new() { Coding = [Coding(code)], Text = code.Display };

    private static CodeableConcept Concept(string system, string code, string? display, string? text) =>
        new() { Coding = [new Coding(system, code, display)], Text = text };
}
