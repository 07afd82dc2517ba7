import Policy

/// A small labelled set of Dutch webcare mentions, written for Repute (not taken from any corpus).
/// The organisation is "Acme", a fictional rail-and-parcel company; see `DutchSet.policy`.
enum DutchSet {
  static let policy: PolicyConfig = {
    var p = PolicyConfig.default
    p.organisation.names = ["Acme"]
    p.organisation.accounts = ["x": ["acme", "acme_webcare"]]
    p.staffAccounts = ["@jan_acme", "@petra_acme"]
    p.rumours = [
      Rumour(
        id: "gratis-tickets", patterns: ["gratis ticket*", "\"free tickets\"", "weggeven ticket*"],
        facts: "Acme geeft geen gratis tickets weg; berichten daarover zijn oplichting.",
        sources: ["https://acme.example/nieuws/phishing"]),
      Rumour(
        id: "stations-dicht", patterns: ["station*|loket* dicht|sluit|sluiten 2026"],
        facts: "Er sluiten in 2026 geen stations of loketten.",
        sources: ["https://acme.example/nieuws/loketten"]),
    ]
    return p
  }()

  struct Item: Sendable, CustomStringConvertible {
    var text: String
    var category: Category
    var author: String = "klant"
    var staff: Bool = false
    var description: String { "\(category.rawValue): \(text)" }
  }

  static let items: [Item] = [
    // praise
    Item(text: "Wat een top service van @acme vandaag, binnen vijf minuten geholpen! 👍", category: .praise),
    Item(text: "Dank jullie wel voor het snel oplossen van mijn probleem, echt fijn.", category: .praise),
    Item(text: "Complimenten aan de conducteur van de trein van 8:12, super vriendelijk!", category: .praise),
    Item(text: "Pakketje was een dag eerder dan verwacht. Heel blij mee 😊", category: .praise),
    Item(text: "Bedankt @acme, keurig opgelost en netjes teruggebeld.", category: .praise),
    Item(text: "Nooit gedacht dat ik dit zou zeggen maar de nieuwe app is echt geweldig", category: .praise),
    Item(text: "Heerlijk rustig in de trein vanochtend, prima reis gehad ❤️", category: .praise),
    Item(text: "Niet slecht hoor, de nieuwe stoelen in de intercity!", category: .praise),
    Item(text: "Chapeau voor de medewerker op Utrecht Centraal die mijn tas terugvond", category: .praise),
    Item(text: "Jullie klantenservice is fantastisch, dankjewel Sanne!", category: .praise),
    Item(text: "Goede actie van Acme om extra treinen in te zetten voor het festival 👏", category: .praise),
    // self-praise
    Item(
      text: "Trots op ons team, wat een geweldige prestatie deze week! 💪", category: .selfPraise,
      author: "@jan_acme"),
    Item(
      text: "Onze nieuwe service is echt de beste van Nederland", category: .selfPraise, author: "@petra_acme"
    ),
    Item(
      text: "Super blij met onze collega's, topwerk!", category: .selfPraise, author: "medewerker",
      staff: true),
    Item(
      text: "Wat een fantastische dag bij Acme, mooi om te zien hoe blij klanten zijn", category: .selfPraise,
      author: "@jan_acme"),
    // question
    Item(text: "Hoe kan ik mijn abonnement opzeggen?", category: .question),
    Item(text: "Weet iemand of de trein naar Zwolle vandaag gewoon rijdt?", category: .question),
    Item(text: "Kan ik mijn fiets meenemen in de sprinter op zaterdag", category: .question),
    Item(text: "@acme wanneer gaat de nieuwe dienstregeling in?", category: .question),
    Item(text: "Is het loket op station Amersfoort op zondag open?", category: .question),
    Item(text: "Vraagje: geldt mijn kortingskaart ook in het weekend?", category: .question),
    Item(text: "Waar kan ik mijn gevonden voorwerp ophalen?", category: .question),
    Item(text: "Hoeveel kost een dagkaart tegenwoordig?", category: .question),
    Item(text: "Graag hoor ik hoe ik een factuur kan downloaden", category: .question),
    Item(text: "Welke bus rijdt er als vervangend vervoer tussen Utrecht en Houten?", category: .question),
    Item(text: "Mag mijn hond mee in de trein als hij in een tas zit?", category: .question),
    Item(
      text: "Hoi Acme, kunnen jullie me laten weten of mijn retour al is verwerkt? Dank!", category: .question
    ),
    // complaint
    Item(
      text: "Alweer vertraagd, ik sta al 40 minuten op het perron. Echt waardeloos.", category: .complaint),
    Item(
      text: "Mijn pakket is nog steeds niet bezorgd en ik heb geen antwoord gekregen op mijn mail",
      category: .complaint),
    Item(
      text: "Trein geannuleerd en geen enkele informatie. Ik mis nu mijn afspraak 😡", category: .complaint),
    Item(
      text: "Al drie keer gebeld, elke keer 30 minuten in de wacht en niemand die me helpt",
      category: .complaint),
    Item(
      text: "De ov-chipkaartpaal is kapot en nu heb ik een boete gekregen. Belachelijk.", category: .complaint
    ),
    Item(text: "Ik wacht nog steeds op mijn terugbetaling, het is al weken geleden", category: .complaint),
    Item(
      text: "Waarom is mijn bestelling geannuleerd zonder dat iemand me iets laat weten?",
      category: .complaint),
    Item(
      text: "Dubbel afgeschreven voor mijn abonnement deze maand. Graag mijn geld terug.",
      category: .complaint),
    Item(
      text: "Heel teleurgesteld, de bezorger heeft mijn pakket gewoon in de regen laten staan",
      category: .complaint),
    Item(text: "Werkt de app weer niet? Ik kan al de hele ochtend niet inchecken", category: .complaint),
    Item(text: "Ik ben echt boos, de conducteur was onbeschoft tegen mijn moeder", category: .complaint),
    Item(
      text: "Zit nu al een uur stil bij Amersfoort, geen omroep, niks. Wat een puinhoop.",
      category: .complaint),
    Item(
      text: "Niet tevreden over de afhandeling van mijn klacht, ik hoor al twee weken niks",
      category: .complaint),
    // misinformation
    Item(
      text: "Acme geeft gratis tickets weg aan iedereen die dit bericht deelt!", category: .misinformation),
    Item(
      text: "Gehoord dat alle loketten in 2026 dicht gaan, klopt dat niet gewoon?", category: .misinformation),
    Item(
      text: "Volgens mijn buurman sluiten ze alle kleine stations in 2026. Schandalig.",
      category: .misinformation),
    Item(
      text: "Let op: Acme is tickets aan het weggeven via deze link, snel zijn", category: .misinformation),
    // unfounded
    Item(text: "Acme zijn allemaal oplichters en dieven", category: .unfounded),
    Item(text: "JULLIE ZIJN EEN STELLETJE ZAKKENVULLERS EN DAT WEET IEDEREEN", category: .unfounded),
    Item(text: "Wat een kutbedrijf, altijd hetzelfde met jullie prutsers", category: .unfounded),
    Item(text: "Acme is gewoon een criminele organisatie, allemaal leugenaars", category: .unfounded),
    Item(text: "Jullie zijn echt de grootste idioten van het land", category: .unfounded),
    Item(text: "Typisch Acme weer, een stel amateurs bij elkaar", category: .unfounded),
    Item(text: "HET HELE BEDRIJF DEUGT NIET, IEDEREEN WEET DAT", category: .unfounded),
    // neutral
    Item(text: "Ik zit in de trein naar Groningen.", category: .neutral),
    Item(
      text: "Nieuwe dienstregeling van Acme staat online: https://acme.example/dienstregeling",
      category: .neutral),
    Item(text: "Morgen met de trein naar Maastricht voor een congres", category: .neutral),
    Item(text: "Acme heeft vandaag de kwartaalcijfers gepubliceerd", category: .neutral),
    Item(text: "Op het perron staan met een kop koffie", category: .neutral),
    Item(text: "Via Acme een pakket verstuurd naar mijn zus in Gent", category: .neutral),
    Item(text: "Onderweg naar kantoor, de trein vertrekt om 7:45", category: .neutral),
    Item(text: "Acme opent een nieuw distributiecentrum in Tilburg", category: .neutral),
    Item(text: "Zaterdag rijden er minder treinen vanwege werkzaamheden", category: .neutral),
    Item(text: "Ik lees net het jaarverslag van Acme", category: .neutral),
  ]
}
