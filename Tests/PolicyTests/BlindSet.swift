import Policy

/// One labelled mention of the blind set: labelled as a webcare professional would, by the
/// article's categories (S7), by someone who had not read the classifier's rules or lexicons.
struct BlindItem: Sendable {
  var id: String
  var category: Category
  var lang: String
  /// The author's handle; staff handles are on `BlindSet.policy.staffAccounts` (S5).
  var author: String
  var text: String
  /// Why the label: one line, for the reader of a miss.
  var why: String

  init(_ id: String, _ category: Category, _ lang: String, _ author: String, _ text: String, why: String) {
    self.id = id
    self.category = category
    self.lang = lang
    self.author = author
    self.text = text
    self.why = why
  }
}

/// Issue 3's blind set: 100 Dutch and 60 English mentions to organisations in nine sectors (rail
/// and public transport, bank, telecom, energy, webshop and parcels, airline, municipality and
/// government, insurance, supermarket), written without knowledge of the classifier.
///
/// The organisations are made up (bar NS, GVB and the Belastingdienst), and so are the four
/// rumours of the set's policy, each with a Dutch and an English pattern for the claim.
enum BlindSet {
  /// The staff accounts of the set's organisations: their praise is self-praise (S5).
  static let staff = [
    "sanne_ns", "jeroen_lindebank", "marloes_glasnet", "pieter_windkracht", "kim_koopla",
    "tom_noordzeeair", "ilse_zuidstad", "ruud_buurtmarkt", "mark_zekerheid",
    "dave_harbourbank", "priya_fibrely", "ellen_skyblue", "jo_freshmart",
  ]

  /// The policy the organisations of the set would have (S1): their names, their staff, their
  /// known rumours (S9, S4).
  static let policy: PolicyConfig = {
    var p = PolicyConfig.default
    p.organisation.names = [
      "NS", "GVB", "Lindebank", "Glasnet", "Windkracht", "Windkracht Energie", "Koopla", "Pakketpost",
      "Noordzee Air", "Zuidstad", "gemeente Zuidstad", "Belastingdienst", "Zekerheid",
      "Zekerheid Verzekeringen", "Buurtmarkt",
      "Northline Rail", "Northline", "Harbour Bank", "Fibrely", "BrightPower", "ShopFast", "ParcelGo",
      "SkyBlue Air", "Millbrook Council", "SafeHome Insurance", "SafeHome", "FreshMart",
    ]
    p.staffAccounts = staff
    p.rumours = [
      Rumour(
        id: "rail-first-class",
        patterns: [
          "\"eerste klas\"|\"1e klas\"|\"1ste klas\" "
            + "afgeschaft|afschaffen|afschaft|schaft|schaffen|opgeheven|opheffen|verdwijnt|verdwijnen|weg",
          "\"first class\" scrap*|abolish*|axe|axed|axing|remov*|ditch*|end*|gone",
        ],
        facts:
          "De eerste klas blijft in alle intercity's en sprinters; er zijn geen plannen om haar af te "
          + "schaffen. / First class stays on every train; there are no plans to scrap it.",
        sources: [
          "https://www.ns.nl/nieuws/eerste-klas-blijft", "https://www.northlinerail.co.uk/first-class",
        ]
      ),
      Rumour(
        id: "bank-sells-data",
        patterns: [
          "verko*|doorverko* gegevens|klantgegevens|betaalgegevens|persoonsgegevens|klantdata|data",
          "sell*|sold data|details|information|info",
        ],
        facts:
          "De bank verkoopt geen klantgegevens aan derden; dat mag ook niet onder de AVG. / The bank "
          + "does not sell customer data to anyone; the privacy statement says what is shared and why.",
        sources: ["https://www.lindebank.nl/privacy", "https://www.harbourbank.co.uk/privacy"]
      ),
      Rumour(
        id: "energy-bankrupt",
        patterns: [
          "failliet|faillissement|bankroet",
          "bankrupt*|bust|insolven*|\"into administration\"|collaps*",
        ],
        facts:
          "Windkracht Energie is financieel gezond; de jaarcijfers staan online. / BrightPower is "
          + "financially sound and its accounts are published; customers' credit is safe.",
        sources: ["https://www.windkracht.nl/jaarverslag", "https://www.brightpower.co.uk/annual-report"]
      ),
      Rumour(
        id: "supermarket-free-voucher",
        patterns: [
          "gratis waardebon*|boodschappenbon*|cadeaubon*|tegoedbon*|cadeaukaart*",
          "free voucher*|\"gift card\"|\"gift cards\"|giftcard*|coupon*",
        ],
        facts:
          "Dit is phishing: de Buurtmarkt deelt geen gratis waardebonnen uit via links. Vul niets in. / "
          + "This is a phishing scam: FreshMart does not give away vouchers through links.",
        sources: ["https://www.buurtmarkt.nl/phishing", "https://www.freshmart.co.uk/scams"]
      ),
    ]
    return p
  }()

  static let items: [BlindItem] = dutch + english

  // MARK: - Dutch (100)

  static let dutch: [BlindItem] = [
    // complaint (22)
    BlindItem(
      "nl-001", .complaint, "nl", "mireille_b",
      "Pakket staat al 5 dagen op 'onderweg' @Pakketpost",
      why: "a parcel stuck for days: a bad experience stated flatly, no emotional word (S10)"),
    BlindItem(
      "nl-002", .complaint, "nl", "treinforens_87",
      "Geweldig, alweer vertraging 🙄 @NS_online",
      why: "sarcasm: 'geweldig' means the opposite; a real delay is the complaint"),
    BlindItem(
      "nl-003", .complaint, "nl", "joostvdberg",
      "Trein van 8.14 Amersfoort-Utrecht weer uitgevallen. Derde keer deze week. Kom ik weer te laat op "
        + "mijn werk. @NS_online",
      why: "a specific cancelled train and its consequence: a customer's bad experience"),
    BlindItem(
      "nl-004", .complaint, "nl", "lotte_thuiswerkt",
      "Al 3 dagen geen internet en de storingspagina zegt 'geen storingen bekend'. Ik werk thuis, dit "
        + "kost me gewoon geld @Glasnet_NL",
      why: "an outage for days with its cost: complaint with substance"),
    BlindItem(
      "nl-005", .complaint, "nl", "h_yilmaz",
      "Bij @Lindebank wordt mijn pas voor de 2e keer deze maand geblokkeerd zonder reden. Stond ik mooi "
        + "met volle kar bij de kassa 😡",
      why: "a blocked card at the till, twice: an angry customer with a concrete problem"),
    BlindItem(
      "nl-006", .complaint, "nl", "dennis_w",
      "Bezorger van @Pakketpost heeft mijn pakket gewoon over het hek gegooid. Doos kapot, lamp kapot. "
        + "Foto's heb ik.",
      why: "damaged delivery with evidence: repair and apologise (S10)"),
    BlindItem(
      "nl-007", .complaint, "nl", "fam_koster",
      "Jaarafrekening @WindkrachtNL klopt niet, ze rekenen 2400 kWh terwijl de meterstand 1800 aangeeft. "
        + "Al twee keer gemaild, geen antwoord.",
      why: "a wrong bill with figures and unanswered mails: complaint, no emotional word"),
    BlindItem(
      "nl-008", .complaint, "nl", "reislustig_anne",
      "Vlucht naar Málaga 4 uur vertraagd, geen info aan de gate, geen voucher voor eten. Top service "
        + "@NoordzeeAir 👏👏",
      why: "sarcastic 'top service' and applause over a four-hour delay: complaint"),
    BlindItem(
      "nl-009", .complaint, "nl", "sjoerd1991",
      "@Koopla retour al 3 weken geleden teruggestuurd, nog steeds geen geld terug. Track & trace zegt "
        + "ontvangen.",
      why: "a refund overdue with tracking proof: a flat complaint"),
    BlindItem(
      "nl-010", .complaint, "nl", "petra_63",
      "heb nou al 45 min in de wacht gestaan bij @ZekerheidVerz en toen werd ik gewoon afgehangen. echt "
        + "belachlijk",
      why: "a concrete bad experience on the phone, with a typo; venting but founded"),
    BlindItem(
      "nl-011", .complaint, "nl", "marco_kerkstraat",
      "Bij de @Buurtmarkt in de Kerkstraat waren de aanbiedingen weer eens niet op voorraad. Elke week "
        + "hetzelfde liedje.",
      why: "offers out of stock at a named shop, again: complaint"),
    BlindItem(
      "nl-012", .complaint, "nl", "bewoners_lindelaan",
      "Container al 2 weken niet geleegd in onze straat, het stinkt en de meeuwen hebben alles "
        + "opengetrokken @GemeenteZuidstad",
      why: "missed rubbish collection with consequences: a resident's complaint"),
    BlindItem(
      "nl-013", .complaint, "nl", "rvdlinden",
      "Schade aan mijn auto 6 weken geleden gemeld bij @ZekerheidVerz en nog steeds geen expert langs "
        + "geweest. Hoe lang nog?",
      why: "the question is rhetorical: a claim left for six weeks is the complaint"),
    BlindItem(
      "nl-014", .complaint, "nl", "studentjasmijn",
      "@NS_online de ov-chipkaart paal op Zwolle deed het niet, nu staat er een boete van €50 op mijn "
        + "kaart 🤬 #NS #boete",
      why: "a fine caused by a broken card reader: angry and specific"),
    BlindItem(
      "nl-015", .complaint, "nl", "bas_reist",
      "Mijn tas is niet aangekomen op Schiphol. Vlucht NZ1432 uit Barcelona. Formulier ingevuld bij de "
        + "balie, referentienummer gekregen, en sindsdien niks gehoord. Ik heb mijn medicijnen en de "
        + "kleren van de kinderen daarin zitten en niemand neemt de telefoon op @NoordzeeAir",
      why: "long: lost luggage with flight number and no follow-up; consider offline contact (S7, S10)"),
    BlindItem(
      "nl-016", .complaint, "nl", "gamer_tim",
      "wtf @Glasnet_NL mn abbo is zomaar 8 euro duurder geworden zonder dat iemand iets heeft laten "
        + "weten??",
      why: "slang and question marks, but it reports an unannounced price rise: complaint"),
    BlindItem(
      "nl-017", .complaint, "nl", "ellen_dochter",
      "Jammer dat de klantenservice van @Lindebank alleen nog via de app te bereiken is. Mijn moeder van "
        + "82 kan daar niks mee en staat nu met lege handen.",
      why: "mild words, real harm to a customer: complaint (S10, offline contact S7)"),
    BlindItem(
      "nl-018", .complaint, "nl", "noor_shopt",
      "Bestelling bij @Koopla: verkeerde maat geleverd, en nu moet ik zelf de retour betalen. "
        + "Klantvriendelijk is anders.",
      why: "wrong size and return costs: complaint, understated"),
    BlindItem(
      "nl-019", .complaint, "nl", "ahmed_amsterdam",
      "De tram van @GVB_actueel reed gewoon door terwijl ik stond te zwaaien bij de halte, volgende pas "
        + "over 20 min. Ik mis nu mijn afspraak bij de huisarts.",
      why: "a tram that did not stop and a missed appointment: complaint"),
    BlindItem(
      "nl-020", .complaint, "nl", "kees_de_jong",
      "Aanslag van de @Belastingdienst ontvangen voor een auto die ik al 2 jaar geleden heb verkocht. "
        + "Vrijwaringsbewijs heb ik gewoon.",
      why: "a wrong tax assessment with proof: complaint without emotional words"),
    BlindItem(
      "nl-021", .complaint, "nl", "wendy_vz",
      "Fijn hoor @Pakketpost, 'bezorgd' volgens de app maar er ligt niks. Niet bij de buren, niet in de "
        + "brievenbus. Nice 🙃",
      why: "sarcasm ('fijn hoor', 'nice' with upside-down face) over a parcel marked delivered"),
    BlindItem(
      "nl-022", .complaint, "nl", "jeroen_nieuwbouw",
      "Slimme meter in ons nieuwe huis nog steeds niet geïnstalleerd, 3e afspraak afgezegd door "
        + "@WindkrachtNL. Ik neem weer een dag vrij voor niks.",
      why: "third cancelled appointment: a customer's bad experience"),

    // question (16)
    BlindItem(
      "nl-023", .question, "nl", "lisa_leiden",
      "@NS_online rijden er vanavond nog treinen tussen Leiden en Den Haag? Zie op de app niks.",
      why: "a question to the organisation about tonight's service (S12)"),
    BlindItem(
      "nl-024", .question, "nl", "m_bakker",
      "Hoi @Lindebank, hoe kan ik een tweede rekeninghouder toevoegen aan mijn betaalrekening?",
      why: "a how-to question"),
    BlindItem(
      "nl-025", .question, "nl", "utrecht_oost_bewoner",
      "Is er een storing in Utrecht-Oost? Internet ligt er sinds 10 uur uit @Glasnet_NL",
      why: "asks whether there is an outage; the problem is the reason for asking"),
    BlindItem(
      "nl-026", .question, "nl", "sanna_k",
      "@Koopla kan ik een bestelling nog wijzigen als hij al op 'verwerkt' staat?",
      why: "a question about an order, no problem yet"),
    BlindItem(
      "nl-027", .question, "nl", "zonnig_huis",
      "@WindkrachtNL Wat wordt mijn termijnbedrag als ik zonnepanelen laat plaatsen? Moet ik dat zelf "
        + "doorgeven?",
      why: "two questions about a change in the contract"),
    BlindItem(
      "nl-028", .question, "nl", "rick_070",
      "@Pakketpost mijn pakket ligt bij een afhaalpunt, hoe lang blijft het daar liggen?",
      why: "a practical question"),
    BlindItem(
      "nl-029", .question, "nl", "femke_vliegt",
      "Mag je handbagage van 10 kg meenemen bij @NoordzeeAir of is het 8? Op de site staan twee "
        + "verschillende dingen",
      why: "a question; the contradiction on the site is why she asks, not a complaint"),
    BlindItem(
      "nl-030", .question, "nl", "t_verhuisd",
      "Goedemiddag, waar kan ik bij de @GemeenteZuidstad een nieuwe parkeervergunning aanvragen nu ik "
        + "verhuisd ben?",
      why: "a polite question to the municipality"),
    BlindItem(
      "nl-031", .question, "nl", "yara_student",
      "@Belastingdienst vraagje: moet ik mijn huurtoeslag stopzetten als mijn inkomen omhoog gaat of "
        + "gebeurt dat automatisch?",
      why: "a question about benefits"),
    BlindItem(
      "nl-032", .question, "nl", "skier_joris",
      "Dekt mijn reisverzekering bij @ZekerheidVerz ook wintersport? Kan het niet vinden in de "
        + "voorwaarden.",
      why: "a coverage question"),
    BlindItem(
      "nl-033", .question, "nl", "oma_riet",
      "@Buurtmarkt zijn jullie op tweede paasdag open?",
      why: "opening hours: short question"),
    BlindItem(
      "nl-034", .question, "nl", "twijfelaar_ov",
      "Klopt het dat de NS de eerste klas afschaft? Las iets op facebook maar kan het nergens officieel "
        + "vinden @NS_online",
      why: "asks whether a rumour is true and doubts it: a question to answer with facts, not a claim"),
    BlindItem(
      "nl-035", .question, "nl", "daan_koopt",
      "hoi! ik heb per ongeluk 2x betaald voor mijn bestellling bij @Koopla, krijg ik dat automatisch "
        + "terug of moet ik contact opnemen?",
      why: "his own slip, a question about the refund; typo in 'bestelling'"),
    BlindItem(
      "nl-036", .question, "nl", "buurtbewoner_lindelaan",
      "Beste @GemeenteZuidstad, zouden jullie de lantaarnpaal bij Lindelaan 12 willen laten repareren? "
        + "Hij is al een week kapot. Alvast bedankt!",
      why: "a polite request that reports a defect; no bad experience to apologise for"),
    BlindItem(
      "nl-037", .question, "nl", "nieuweklant_2026",
      "Kan iemand van @Lindebank me vertellen waarom mijn overboeking nog 'in behandeling' staat? Is dat "
        + "normaal bij een nieuwe begunstigde?",
      why: "asks whether a pending transfer is normal: a question that mentions a possible problem"),
    BlindItem(
      "nl-038", .question, "nl", "verhuizer_sem",
      "@Glasnet_NL Ik verhuis volgende maand, kan ik mijn abonnement meenemen naar het nieuwe adres en "
        + "wat kost dat?",
      why: "a question about moving the contract"),

    // praise (15)
    BlindItem(
      "nl-039", .praise, "nl", "iris_besteld",
      "Wat een topservice van @Koopla! Vanavond besteld, morgenochtend al binnen. 👍",
      why: "a compliment from a customer (S3, S6)"),
    BlindItem(
      "nl-040", .praise, "nl", "gerda_reist",
      "Dank je wel @NS_online conducteur in de IC naar Groningen die een oude mevrouw hielp met haar "
        + "koffer. Zo fijn om te zien ❤️",
      why: "thanks for a conductor's help"),
    BlindItem(
      "nl-041", .praise, "nl", "koen_hypotheek",
      "Ik had een probleem met mijn hypotheekaanvraag maar Fatima van @Lindebank heeft het binnen een "
        + "dag opgelost. Echt heel blij mee!",
      why: "a problem mentioned, but solved: praise for an employee"),
    BlindItem(
      "nl-042", .praise, "nl", "sophie_thuis",
      "@Pakketpost bezorger Ahmed is echt de beste, belt altijd even aan en wacht geduldig 🙏",
      why: "praise for a courier"),
    BlindItem(
      "nl-043", .praise, "nl", "vincent_glas",
      "Eindelijk glasvezel en wat een verschil! Monteur was netjes, op tijd en legde alles uit. Top "
        + "@Glasnet_NL",
      why: "a satisfied customer"),
    BlindItem(
      "nl-044", .praise, "nl", "moeder_van_lieke",
      "Complimenten aan de crew van NZ812 naar Lissabon, super vriendelijk en zelfs een verjaardagskaartje "
        + "voor mijn dochter 🎂 @NoordzeeAir",
      why: "compliments for a crew"),
    BlindItem(
      "nl-045", .praise, "nl", "hans_schade",
      "Schadeclaim binnen een week afgehandeld en zonder gedoe uitbetaald. Zo hoort het @ZekerheidVerz 👌",
      why: "a claim paid quickly: praise"),
    BlindItem(
      "nl-046", .praise, "nl", "papa_van_twee",
      "De nieuwe speeltuin in het park is prachtig geworden, goed gedaan @GemeenteZuidstad 👏",
      why: "a resident compliments the municipality"),
    BlindItem(
      "nl-047", .praise, "nl", "croissantfan",
      "Buurtmarkt heeft echt de lekkerste verse croissants, elke zaterdag feest 🥐",
      why: "praise from a shopper, not addressed to the account"),
    BlindItem(
      "nl-048", .praise, "nl", "zzp_ingrid",
      "Nooit gedacht dat ik dit zou zeggen maar de belastingtelefoon van de @Belastingdienst was "
        + "supervriendelijk en heeft me goed geholpen met mijn aangifte",
      why: "surprised but clear praise"),
    BlindItem(
      "nl-049", .praise, "nl", "bert_storing",
      "Storing gemeld om 9 uur, om 11 uur was het opgelost. Netjes @WindkrachtNL",
      why: "a fault mentioned, fixed in two hours: praise"),
    BlindItem(
      "nl-050", .praise, "nl", "laatkomer_lijn2",
      "shoutout naar @GVB_actueel tramchauffeur lijn 2 die even wachtte toen ik aan kwam rennen 🙌 held",
      why: "slang praise for a driver"),
    BlindItem(
      "nl-051", .praise, "nl", "pendelaar_zwolle",
      "Heel fijn dat de @NS_online app nu laat zien hoe vol de trein is. Scheelt veel gedoe!",
      why: "praise for a feature"),
    BlindItem(
      "nl-052", .praise, "nl", "trouwe_klant_ans",
      "Mijn pakket was kwijt maar @Koopla stuurde zonder discussie een nieuwe. Daar blijf ik klant voor.",
      why: "a lost parcel, put right: praise"),
    BlindItem(
      "nl-053", .praise, "nl", "wouter_pas",
      "Bedankt @Lindebank voor de snelle actie toen mijn pas gestolen was, binnen 5 min geblokkeerd en "
        + "een nieuwe is onderweg.",
      why: "thanks for a quick block of a stolen card"),

    // neutral (16)
    BlindItem(
      "nl-054", .neutral, "nl", "ovnieuws_nl",
      "NS: vanaf 10 december nieuwe dienstregeling met meer intercity's tussen Amsterdam en Eindhoven "
        + "https://nos.nl/artikel/2500001",
      why: "a plain news share with a link"),
    BlindItem(
      "nl-055", .neutral, "nl", "spaarblog",
      "Lindebank verhoogt spaarrente naar 2,1% https://www.nu.nl/economie/123456",
      why: "a news share; nothing to answer"),
    BlindItem(
      "nl-056", .neutral, "nl", "robin_t",
      "Net mijn contract bij @Glasnet_NL verlengd.",
      why: "a statement of fact that needs nothing"),
    BlindItem(
      "nl-057", .neutral, "nl", "lezende_reiziger",
      "Zit in de trein naar Maastricht, lekker boekje erbij #NS",
      why: "a mention in passing; the pleasure is the book, not the organisation"),
    BlindItem(
      "nl-058", .neutral, "nl", "omroep_zuidstad",
      "Windkracht Energie en gemeente Zuidstad openen samen nieuw zonnepark bij de A12 "
        + "https://www.omroepzuidstad.nl/nieuws/zonnepark",
      why: "local news with a link"),
    BlindItem(
      "nl-059", .neutral, "nl", "raadsvolger",
      "Vanavond om 20.00 uur gemeenteraadsvergadering @GemeenteZuidstad over het nieuwe parkeerbeleid, "
        + "live te volgen via de site",
      why: "an announcement"),
    BlindItem(
      "nl-060", .neutral, "nl", "logistiek_nieuws",
      "Pakketpost zoekt 2000 extra bezorgers voor de feestdagen https://www.rtl.nl/nieuws/pakketpost",
      why: "a news share"),
    BlindItem(
      "nl-061", .neutral, "nl", "eva_op_reis",
      "Op weg naar Schiphol, morgen met Noordzee Air naar Kreta ☀️✈️",
      why: "happy about a holiday, not about the airline: nothing to do"),
    BlindItem(
      "nl-062", .neutral, "nl", "fiscaal_nieuws",
      "Belastingdienst: aangifte inkomstenbelasting over 2026 kan vanaf 1 maart "
        + "https://www.rijksoverheid.nl/onderwerpen/inkomstenbelasting",
      why: "information passed on"),
    BlindItem(
      "nl-063", .neutral, "nl", "kookt_graag",
      "Boodschappen gedaan bij de Buurtmarkt, nu koken 🍝",
      why: "a mention in passing"),
    BlindItem(
      "nl-064", .neutral, "nl", "fd_volger",
      "Zekerheid Verzekeringen neemt branchegenoot Polis Direct over, meldt het FD "
        + "https://fd.nl/ondernemen/zekerheid-overname",
      why: "business news"),
    BlindItem(
      "nl-065", .neutral, "nl", "busspotter",
      "RT @OVnieuws: GVB test vanaf maandag elektrische bussen op lijn 22",
      why: "a retweet of news"),
    BlindItem(
      "nl-066", .neutral, "nl", "dealjager",
      "Koopla Black Friday begint donderdag om 00:00. Zet je wekker 😉 https://koopla.nl/blackfriday",
      why: "a deal passed on to followers; not a compliment, no request"),
    BlindItem(
      "nl-067", .neutral, "nl", "webcare_docent",
      "Gisteren een interessante lezing gehad over webcare bij Lindebank en Glasnet, slides hier: "
        + "https://slideshare.net/webcare-lezing",
      why: "talks about the organisations, asks and claims nothing"),
    BlindItem(
      "nl-068", .neutral, "nl", "energieblogger",
      "Volgens de ACM moeten energieleveranciers zoals Windkracht hun tariefwijzigingen voortaan eerder "
        + "doorgeven https://www.acm.nl/nl/publicaties/tarieven",
      why: "regulatory news; no claim about the organisation"),
    BlindItem(
      "nl-069", .neutral, "nl", "trotse_zus",
      "Mijn zus werkt sinds kort bij NS als machinist",
      why: "a mention that needs nothing"),

    // unfounded (12)
    BlindItem(
      "nl-070", .unfounded, "nl", "boze_burger_22",
      "@NS_online stelletje prutsers",
      why: "an insult without specifics (S8)"),
    BlindItem(
      "nl-071", .unfounded, "nl", "kritischekees",
      "Lindebank = oplichters. Punt.",
      why: "an accusation without substance"),
    BlindItem(
      "nl-072", .unfounded, "nl", "xx_mandy_xx",
      "@Glasnet_NL is echt het slechtste bedrijf van Nederland, kan niet anders zeggen 🤮",
      why: "venting without a single fact"),
    BlindItem(
      "nl-073", .unfounded, "nl", "anti_webshop",
      "Koopla is gewoon een maffiabedrijf, iedereen weet dat ze hun personeel uitbuiten",
      why: "an accusation with nothing to back it, not a known rumour"),
    BlindItem(
      "nl-074", .unfounded, "nl", "gerrit_1958",
      "wie bij @ZekerheidVerz verzekerd is vraagt erom belazerd te worden. dieven zijn het",
      why: "an insult, no case described"),
    BlindItem(
      "nl-075", .unfounded, "nl", "stadhuiswatcher",
      "@GemeenteZuidstad weer een stel zakkenvullers op het stadhuis, geld over de balk smijten is het "
        + "enige wat ze kunnen",
      why: "venting at the municipality, no specifics"),
    BlindItem(
      "nl-076", .unfounded, "nl", "belastingbetaler_nl",
      "Belastingdienst steelt gewoon van de gewone burger, schandalig land is dit geworden "
        + "#belastingdienst #boos",
      why: "a sweeping accusation, no case"),
    BlindItem(
      "nl-077", .unfounded, "nl", "vakantie_verpest",
      "NOORDZEE AIR IS EEN GROTE GRAP!!!!!",
      why: "shouting without specifics"),
    BlindItem(
      "nl-078", .unfounded, "nl", "ex_klant_windkracht",
      "Windkracht Energie, nooit meer. Nooit. Meer. Wat een k*tbedrijf",
      why: "venting; no experience is described"),
    BlindItem(
      "nl-079", .unfounded, "nl", "wantrouwig_wim",
      "pakketpost bezorgers zijn allemaal criminelen die je pakketten jatten, dat weet toch iedereen",
      why: "a generalising accusation without a case"),
    BlindItem(
      "nl-080", .unfounded, "nl", "prijzenwatcher",
      "Buurtmarkt zit vast achter de prijsstijgingen in heel NL, die zakken het geld gewoon in 💰💰",
      why: "a suspicion without substance, not on the rumour list"),
    BlindItem(
      "nl-081", .unfounded, "nl", "mokumse_gozer",
      "GVB kan de pot op 🖕",
      why: "an insult"),

    // misinformation (10)
    BlindItem(
      "nl-082", .misinformation, "nl", "slimme_reiziger",
      "Vanaf januari schaft de NS de eerste klas af, dus zonde om nu nog een jaarabonnement 1e klas te "
        + "nemen",
      why: "repeats the rumour that first class is abolished, as fact (S9)"),
    BlindItem(
      "nl-083", .misinformation, "nl", "roddeltante",
      "Heb je het al gehoord? NS doet de 1e klas weg per 2027 😮 #NS",
      why: "the first-class rumour, spread as news"),
    BlindItem(
      "nl-084", .misinformation, "nl", "privacy_paul",
      "Lindebank verkoopt al jullie klantgegevens aan reclamebureaus, zet die instellingen maar uit",
      why: "the data-selling rumour stated as fact"),
    BlindItem(
      "nl-085", .misinformation, "nl", "bezorgde_buurvrouw",
      "Let op: Lindebank verkoopt je betaalgegevens aan adverteerders. Stond in een artikel. Overstappen!",
      why: "the data-selling rumour with a vague source"),
    BlindItem(
      "nl-086", .misinformation, "nl", "energie_expert_zelfbenoemd",
      "Windkracht Energie is failliet, wie daar klant is kan zijn voorschot wel vergeten 😬",
      why: "the bankruptcy rumour as fact"),
    BlindItem(
      "nl-087", .misinformation, "nl", "groepsapp_marian",
      "Zag in de groepsapp dat Windkracht bijna failliet is en alle contracten stopzet per 1 maart. Snel "
        + "overstappen mensen!",
      why: "the bankruptcy rumour with a made-up date"),
    BlindItem(
      "nl-088", .misinformation, "nl", "actie_deler",
      "Buurtmarkt geeft iedereen een gratis waardebon van €50 voor hun 50-jarig bestaan! Klik op de link "
        + "en vul je gegevens in: bit.ly/buurtmarkt50",
      why: "spreads the phishing voucher: wrong facts that hurt customers"),
    BlindItem(
      "nl-089", .misinformation, "nl", "blije_shopper",
      "Wauw, dank je wel Buurtmarkt voor de gratis boodschappenbon van 100 euro 😍 gedeeld met al mijn "
        + "vrienden!",
      why: "positive words, but it repeats the voucher rumour: correct it, don't amplify (S4, S9)"),
    BlindItem(
      "nl-090", .misinformation, "nl", "klaar_met_ns",
      "Klaar met de NS, eerste klas wordt opgeheven en dan betaal je straks hetzelfde voor minder 😤",
      why: "angry, but what needs a reply is the wrong fact about first class"),
    BlindItem(
      "nl-091", .misinformation, "nl", "neef_van_de_it",
      "Mijn oom werkt in de IT en zegt dat Lindebank klantdata doorverkoopt aan verzekeraars. Dus die "
        + "lage rente is niet voor niks",
      why: "the data-selling rumour, second-hand"),

    // self-praise (9)
    BlindItem(
      "nl-092", .selfPraise, "nl", "sanne_ns",
      "Trots op mijn collega's die vannacht in de kou het spoor bij Utrecht hebben gerepareerd. Dit is "
        + "waarom ik bij @NS_online werk 💛💙",
      why: "staff praising their own organisation (S5)"),
    BlindItem(
      "nl-093", .selfPraise, "nl", "jeroen_lindebank",
      "Beste bank van Nederland, en dat zeg ik niet alleen omdat ik er werk 😉 #Lindebank",
      why: "an employee's 'we are great' (S5)"),
    BlindItem(
      "nl-094", .selfPraise, "nl", "marloes_glasnet",
      "Ons netwerk is gewoon het snelste van NL. Punt. #trots #Glasnet",
      why: "staff boasting (S5)"),
    BlindItem(
      "nl-095", .selfPraise, "nl", "pieter_windkracht",
      "Weer een zonnepark opgeleverd! Niemand doet groene stroom beter dan wij bij @WindkrachtNL 🌞",
      why: "staff praise, 'wij' (S5)"),
    BlindItem(
      "nl-096", .selfPraise, "nl", "kim_koopla",
      "Wat een team hebben we bij Koopla, 50.000 pakketjes de deur uit op één dag en alles op tijd 💪 "
        + "#teamkoopla",
      why: "staff praise for the team (S5)"),
    BlindItem(
      "nl-097", .selfPraise, "nl", "tom_noordzeeair",
      "Vandaag mijn 1000e vlucht als purser bij @NoordzeeAir. Mooiste airline om voor te werken, onze "
        + "passagiers zijn in goede handen ✈️",
      why: "a purser praising his airline (S5)"),
    BlindItem(
      "nl-098", .selfPraise, "nl", "ilse_zuidstad",
      "Zuidstad heeft de beste dienstverlening van de regio, onze balie helpt je altijd met een glimlach 😊",
      why: "a municipal employee praising the service (S5)"),
    BlindItem(
      "nl-099", .selfPraise, "nl", "ruud_buurtmarkt",
      "Onze versafdeling is echt de beste van het land, kom het zelf proeven! #buurtmarkt",
      why: "staff praising their shop (S5)"),
    BlindItem(
      "nl-100", .selfPraise, "nl", "mark_zekerheid",
      "Bij Zekerheid keren we sneller uit dan wie dan ook. Zo gaan wij met onze klanten om 👊",
      why: "staff boasting about claims (S5)"),
  ]

  // MARK: - English (60)

  static let english: [BlindItem] = [
    // complaint (13)
    BlindItem(
      "en-001", .complaint, "en", "leeds_commuter",
      "@NorthlineRail the 07:42 to Leeds cancelled again. Third time this week. I'm going to lose my job "
        + "at this rate.",
      why: "a specific cancellation and its consequence (S10)"),
    BlindItem(
      "en-002", .complaint, "en", "platform4_regular",
      "Oh great, another 'signal failure' @NorthlineRail. Love spending my evenings on platform 4 😒",
      why: "sarcasm: 'great' and 'love' over a delay"),
    BlindItem(
      "en-003", .complaint, "en", "sarah_m",
      "My parcel has said 'out for delivery' since Tuesday @ParcelGo",
      why: "a stuck parcel, no emotional word"),
    BlindItem(
      "en-004", .complaint, "en", "skint_student",
      "@HarbourBank charged me a £25 overdraft fee for going 3p over. Three pence.",
      why: "a concrete charge, understated anger"),
    BlindItem(
      "en-005", .complaint, "en", "wfh_dan",
      "Been without broadband for 6 days now and @Fibrely keep telling me an engineer is 'booked'. Nobody "
        + "has turned up twice.",
      why: "an outage and missed appointments"),
    BlindItem(
      "en-006", .complaint, "en", "pensioner_pat",
      "@BrightPower my direct debit went up from £90 to £210 a month with no explanation and nobody "
        + "answers the phone",
      why: "a price rise without explanation and no answer"),
    BlindItem(
      "en-007", .complaint, "en", "chloe_xo",
      "ordered a dress from @ShopFast, got a phone case instead lol. 2nd wrong order this month",
      why: "'lol' but a wrong order twice: complaint"),
    BlindItem(
      "en-008", .complaint, "en", "stranded_in_faro",
      "@SkyBlueAir flight SB221 delayed 5 hrs, no food vouchers, staff disappeared from the desk. Absolute "
        + "joke of an airline.",
      why: "strong words, but with specifics: complaint, not unfounded"),
    BlindItem(
      "en-009", .complaint, "en", "elm_road_resident",
      "Bin collection missed for the third week running on Elm Road. Reported it twice online "
        + "@MillbrookCouncil",
      why: "repeated missed service, reported: flat complaint"),
    BlindItem(
      "en-010", .complaint, "en", "flooded_kitchen",
      "Thanks for nothing @SafeHomeIns. Claim for the burst pipe rejected after 2 months because of a "
        + "'policy technicality' no one can explain.",
      why: "sarcastic thanks; a rejected claim is the complaint"),
    BlindItem(
      "en-011", .complaint, "en", "home_cook_raj",
      "@FreshMart the chicken I bought yesterday was already off, use by date was next week. Not "
        + "impressed.",
      why: "a spoiled product: complaint"),
    BlindItem(
      "en-012", .complaint, "en", "refund_pending",
      "Still waiting on my refund from @ShopFast. Returned it 24 days ago, tracking says delivered to your "
        + "warehouse.",
      why: "an overdue refund with proof"),
    BlindItem(
      "en-013", .complaint, "en", "movingday_mike",
      "So I moved house on the 3rd, told @Fibrely a month in advance, and they've now billed me for both "
        + "addresses, cut off the new line by mistake and the chat agent closed my case while I was "
        + "typing. Two hours of my life gone. Can someone who actually works there sort this out please?",
      why: "long: several failures; the closing question is a plea, the message is a complaint"),

    // question (10)
    BlindItem(
      "en-014", .question, "en", "york_traveller",
      "@NorthlineRail is there a replacement bus between York and Selby tonight?",
      why: "a service question (S12)"),
    BlindItem(
      "en-015", .question, "en", "tapandgo",
      "Hi @HarbourBank, how do I increase my contactless limit in the app?",
      why: "a how-to question"),
    BlindItem(
      "en-016", .question, "en", "ls6_gamer",
      "@Fibrely is there an outage in Leeds LS6? Router's been flashing red since 8",
      why: "asks about an outage; the problem is why he asks"),
    BlindItem(
      "en-017", .question, "en", "new_mum_jess",
      "Can I take a pushchair on board for free with @SkyBlueAir or does it count as luggage?",
      why: "a policy question"),
    BlindItem(
      "en-018", .question, "en", "tom_wfh",
      "@ParcelGo can I redirect a parcel to a pickup point once it's already on its way?",
      why: "a practical question"),
    BlindItem(
      "en-019", .question, "en", "station_road_resident",
      "@MillbrookCouncil could you please send someone to look at the pothole on Station Road? It's "
        + "getting bigger every day. Thanks in advance",
      why: "a polite request reporting a defect: answer it, nothing to apologise for"),
    BlindItem(
      "en-020", .question, "en", "laptop_owner",
      "Does my @SafeHomeIns home policy cover accidental damage to a laptop? Policy docs aren't clear.",
      why: "a coverage question"),
    BlindItem(
      "en-021", .question, "en", "moving_out_amy",
      "@BrightPower I'm moving out on Friday, do I need to send a final meter reading or will you get it "
        + "from the smart meter?",
      why: "a question about moving out"),
    BlindItem(
      "en-022", .question, "en", "cautious_customer",
      "Is it true that Harbour Bank is selling our data? Saw a post about it, can anyone from @HarbourBank "
        + "confirm?",
      why: "asks whether the data rumour is true: a question to answer with facts"),
    BlindItem(
      "en-023", .question, "en", "bigshop_bev",
      "@FreshMart do you still do the price match on the big shop or was that stopped?",
      why: "a question about an offer"),

    // praise (10)
    BlindItem(
      "en-024", .praise, "en", "phone_found",
      "Huge thanks to the @NorthlineRail guard on the 17:05 who found my lost phone and handed it in. "
        + "Legend 🙌",
      why: "thanks for a guard's help (S6)"),
    BlindItem(
      "en-025", .praise, "en", "night_owl_shopper",
      "@ShopFast ordered at 11pm, arrived at 9am. How?! Brilliant.",
      why: "a rhetorical 'how?!' in praise"),
    BlindItem(
      "en-026", .praise, "en", "tidy_cables",
      "Credit where it's due: @Fibrely engineer turned up early, sorted everything in 20 mins and even "
        + "tidied the cables.",
      why: "praise for an engineer"),
    BlindItem(
      "en-027", .praise, "en", "nervous_flyer_mum",
      "The cabin crew on SB108 to Rome were lovely with my nervous 6 year old ❤️ thank you @SkyBlueAir",
      why: "thanks to a crew"),
    BlindItem(
      "en-028", .praise, "en", "relieved_rob",
      "@HarbourBank fraud team called me within minutes of a dodgy payment and refunded it the same day. "
        + "Really impressed.",
      why: "fraud mentioned, handled well: praise"),
    BlindItem(
      "en-029", .praise, "en", "streetlight_sue",
      "Big thanks to the @MillbrookCouncil team who fixed the streetlight outside our house within 48h of "
        + "reporting it.",
      why: "thanks to the council"),
    BlindItem(
      "en-030", .praise, "en", "storm_survivor",
      "Had to claim on my @SafeHomeIns policy after the storm and honestly it was painless. Paid out in 5 "
        + "days.",
      why: "a claim handled well"),
    BlindItem(
      "en-031", .praise, "en", "lunchbreak_leo",
      "FreshMart's new meal deal is actually amazing value 😋",
      why: "a compliment from a shopper"),
    BlindItem(
      "en-032", .praise, "en", "dressing_gown_dave",
      "parcelgo driver waited while i ran downstairs in my dressing gown, top bloke 😂👍",
      why: "slang praise for a driver"),
    BlindItem(
      "en-033", .praise, "en", "tariff_tina",
      "@BrightPower switched me to a cheaper tariff without me even asking. Didn't know energy companies "
        + "did that. Thank you!",
      why: "thanks"),

    // neutral (9)
    BlindItem(
      "en-034", .neutral, "en", "rail_news_uk",
      "Northline Rail announces new timetable from May https://www.bbc.co.uk/news/uk-england-123456",
      why: "a news share"),
    BlindItem(
      "en-035", .neutral, "en", "markets_daily",
      "Harbour Bank reports Q3 results, profit up 4% https://www.ft.com/content/abc123",
      why: "business news"),
    BlindItem(
      "en-036", .neutral, "en", "inbox_zero_ian",
      "On the train to Manchester with Northline, catching up on emails",
      why: "a mention in passing"),
    BlindItem(
      "en-037", .neutral, "en", "millbrook_echo_fan",
      "FreshMart opening a new store in Millbrook town centre next month, according to the local paper "
        + "https://www.millbrookecho.co.uk/news/freshmart-store",
      why: "local news"),
    BlindItem(
      "en-038", .neutral, "en", "cycle_millbrook",
      "Millbrook Council meeting on the new cycle lanes tonight at 7pm, agenda here "
        + "https://millbrook.gov.uk/meetings/2026-12",
      why: "an announcement"),
    BlindItem(
      "en-039", .neutral, "en", "lisbon_bound",
      "Just booked SkyBlue Air to Lisbon for March ✈️",
      why: "a booking mentioned; nothing to do"),
    BlindItem(
      "en-040", .neutral, "en", "retail_watch",
      "ShopFast is hiring 500 seasonal workers for Christmas https://www.reuters.com/business/shopfast",
      why: "a news share"),
    BlindItem(
      "en-041", .neutral, "en", "energy_policy_nerd",
      "RT @EnergyWatchUK: BrightPower and three other suppliers to trial time-of-use tariffs in 2027",
      why: "a retweet of news"),
    BlindItem(
      "en-042", .neutral, "en", "new_to_fibre",
      "Switched my broadband to Fibrely this week, we'll see how it goes",
      why: "a neutral statement"),

    // unfounded (8)
    BlindItem(
      "en-043", .unfounded, "en", "angry_andy",
      "@HarbourBank bunch of crooks",
      why: "an insult without specifics (S8)"),
    BlindItem(
      "en-044", .unfounded, "en", "rage_quit_ray",
      "Fibrely is the worst company on the planet 🤬🤬",
      why: "venting, no facts"),
    BlindItem(
      "en-045", .unfounded, "en", "caps_lock_carl",
      "SKYBLUE AIR = SCAM AIRLINE. NEVER FLY WITH THESE CLOWNS!!!",
      why: "shouting, an accusation without a case"),
    BlindItem(
      "en-046", .unfounded, "en", "townhall_troll",
      "@MillbrookCouncil corrupt to the core, every single one of them",
      why: "a sweeping accusation"),
    BlindItem(
      "en-047", .unfounded, "en", "boycott_bella",
      "everyone knows @ShopFast treats its workers like slaves, boycott",
      why: "an accusation without substance, not on the rumour list"),
    BlindItem(
      "en-048", .unfounded, "en", "grumpy_gary",
      "SafeHome Insurance are thieves, pure and simple",
      why: "an insult"),
    BlindItem(
      "en-049", .unfounded, "en", "northern_nigel",
      "@NorthlineRail you absolute muppets",
      why: "an insult without specifics"),
    BlindItem(
      "en-050", .unfounded, "en", "hater_hannah",
      "FreshMart can go to hell 🖕",
      why: "an insult"),

    // misinformation (6)
    BlindItem(
      "en-051", .misinformation, "en", "season_ticket_sam",
      "PSA: Northline Rail is scrapping first class from January, so don't bother buying a first class "
        + "season ticket",
      why: "the first-class rumour as fact (S9)"),
    BlindItem(
      "en-052", .misinformation, "en", "privacy_pete",
      "Harbour Bank sells your data to advertisers, that's how they make money. Switch banks now.",
      why: "the data-selling rumour"),
    BlindItem(
      "en-053", .misinformation, "en", "worried_wendy",
      "Heard BrightPower is going bankrupt, get your credit back before it's too late!!",
      why: "the bankruptcy rumour"),
    BlindItem(
      "en-054", .misinformation, "en", "neighbour_nick",
      "BrightPower has gone bust apparently, my neighbour got a letter 😬",
      why: "the bankruptcy rumour, second-hand"),
    BlindItem(
      "en-055", .misinformation, "en", "deal_sharer_dee",
      "FreshMart is giving every customer a free £100 voucher for their anniversary! Just fill in the "
        + "form 👉 freshmart-rewards.win",
      why: "spreads the phishing voucher"),
    BlindItem(
      "en-056", .misinformation, "en", "lucky_linda",
      "Thank you FreshMart for the free voucher, just claimed mine! 😍 everyone go get yours",
      why: "positive, but repeats the voucher rumour: correct, don't amplify (S4, S9)"),

    // self-praise (4)
    BlindItem(
      "en-057", .selfPraise, "en", "dave_harbourbank",
      "Proud to work for the best bank in the UK. Our customers come first, always 💪 #HarbourBank",
      why: "staff praising their bank (S5)"),
    BlindItem(
      "en-058", .selfPraise, "en", "priya_fibrely",
      "Fastest network in the country and the best team behind it. Love my job at @Fibrely 🚀",
      why: "staff boasting (S5)"),
    BlindItem(
      "en-059", .selfPraise, "en", "ellen_skyblue",
      "Another on-time arrival at Heathrow. Nobody flies like @SkyBlueAir ✈️ #proudcrew",
      why: "crew praising their airline (S5)"),
    BlindItem(
      "en-060", .selfPraise, "en", "jo_freshmart",
      "Best fresh produce on the high street, come and see us at FreshMart Millbrook! 🍓🥦",
      why: "staff promoting their shop (S5)"),
  ]
}
