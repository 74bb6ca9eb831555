"""The offline engine: answers with the documents' own sentences, verbatim, or declines.

Modules: `backend` (the AnswerBackend: condense, stream, compose), `features` (what is
measured about a question and a candidate sentence), `decision` (the fitted logistic
model that turns features into answer-or-decline), `lexicon` (WordNet: synonyms,
demonyms, capitals), `followup` (when a question leans on earlier turns).
"""

from assistant.extractive.backend import ExtractiveBackend

__all__ = ["ExtractiveBackend"]
