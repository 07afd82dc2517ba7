/// A NUL (U+0000) in an arriving post, in any field, is stored as U+FFFD, the character for what
/// could not be kept, on both stores alike. PostgreSQL's text holds no NUL (one post carrying it
/// failed its whole batch with SQLSTATE 22021), and SQLite kept it but read the text back only up
/// to it: the rest of the post was lost to every reader, `repute migrate` and its checksums
/// included. The same post read again is the same post, not an edit.
extension IncomingMention {
  public var withoutNUL: IncomingMention {
    func hasNUL(_ text: String?) -> Bool { text?.utf8.contains(0) ?? false }
    guard
      hasNUL(text) || hasNUL(raw) || hasNUL(author.handle) || hasNUL(author.name) || hasNUL(platform)
        || hasNUL(externalID) || hasNUL(url) || hasNUL(lang) || hasNUL(inReplyTo) || hasNUL(thread)
        || hasNUL(deletion)
    else { return self }
    func kept(_ text: String) -> String { text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
    var post = self
    post.platform = kept(platform)
    post.externalID = kept(externalID)
    post.url = url.map(kept)
    post.author.handle = kept(author.handle)
    post.author.name = author.name.map(kept)
    post.text = kept(text)
    post.lang = lang.map(kept)
    post.inReplyTo = inReplyTo.map(kept)
    post.thread = thread.map(kept)
    post.raw = kept(raw)
    post.deletion = deletion.map(kept)
    return post
  }
}
