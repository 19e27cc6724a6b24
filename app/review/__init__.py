"""What the review of an answer shows, without Qt: marks on the words, the take-to-take comparison, and answers as the review knows them."""
