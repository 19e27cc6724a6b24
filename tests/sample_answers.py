"""Answers shared by several scoring tests."""

# An answer about data leakage, and a news-feed ranking design: both long enough for the gates to judge.
LEAKAGE = ("Data leakage is when information that would not be available at prediction time gets into the training "
           "data, so the model looks great offline and fails in production. A classic example is fitting a scaler "
           "or target encoder on the whole dataset before splitting, so the validation rows have already influenced "
           "the features. Another is a feature like account closure date when predicting churn. To avoid it, split "
           "first, fit every preprocessing step inside the cross-validation folds, and use time-based splits for "
           "temporal data. The cost is more careful pipelines and sometimes worse-looking offline scores.")
FEED = ("For the news feed I would rank posts by predicted engagement. Candidate generation pulls recent posts from "
        "friends, followed pages and groups, then a ranking model scores each candidate with features like the "
        "author's affinity with the viewer, post age, media type, and past likes and comments. I'd start with a "
        "logistic regression on those features as a baseline before moving to a gradient-boosted ranker, and "
        "measure it offline with NDCG and online with time spent and daily active users in an A/B test. Features "
        "are computed by one shared library for training and serving. After launch I'd monitor the distribution of "
        "predicted scores, the share of posts from friends versus pages, and alert when engagement drops week over "
        "week.")
