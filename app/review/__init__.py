"""What the review of an answer shows, without Qt: the marks on its words, the take-to-take comparison, and
answers as the review knows them (just recorded, or read back from the store)."""
