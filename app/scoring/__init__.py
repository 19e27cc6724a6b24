"""Structure scoring: STAR, the ML design checklist and the concept rubric, grounded in the answer's words."""
