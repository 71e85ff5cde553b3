"""Contexts of data and of decisions, for EU AI Act Art. 5(1)(c)(i): detrimental treatment
"in social contexts unrelated to the contexts in which the data was originally generated".

A record's context is its source's department (mapped to the context that department
serves) and, for financial conduct, finance. A service's context is its `context` key (or
its department's). A sanction is in context when the two share a context.
"""

from __future__ import annotations

DEPARTMENT_CONTEXT = {
    "public_security": "public_order", "police": "public_order", "courts": "judicial",
    "finance": "finance", "banks": "finance", "banking": "finance", "tax": "tax",
    "health": "health", "education": "education", "housing": "housing",
    "civil_affairs": "welfare", "welfare": "welfare", "transport": "transport",
    "cyberspace": "communication", "culture": "culture", "market_regulation": "commerce",
    "commerce": "commerce", "personnel": "employment", "sports": "leisure",
    "environment": "environment",
}
CATEGORY_CONTEXT = {"financial": ("finance",)}
# Departments whose records are decided after a hearing: a sanction resting only on them may
# be a court's order in the case (still out of context, so reported, at lower severity).
ADJUDICATING = frozenset({"courts"})
BASIC_NEEDS = frozenset({"education", "health", "housing", "welfare"})
HARMLESS_CATEGORIES = frozenset({"civic", "political", "religious", "health"})
PROTECTED_CATEGORIES = {"political": "political opinions", "religious": "religious beliefs",
                        "health": "data concerning health"}
HEALTH_WORD = "health"  # a source or department named so: data concerning health
# Words in a conduct's name or description that point at a GDPR Art. 9 category.
ART9_WORDS = {"union": "trade union membership", "ethnic": "racial or ethnic origin",
              "racial": "racial or ethnic origin", "sexual": "sex life or sexual orientation",
              "genetic": "genetic data", "biometric": "biometric data",
              "philosoph": "philosophical beliefs"}


def record_contexts(department: str, category: str) -> set[str]:
    return {department, DEPARTMENT_CONTEXT.get(department, department),
            *CATEGORY_CONTEXT.get(category, ())}


def service_context(context: str, department: str) -> str:
    return context or DEPARTMENT_CONTEXT.get(department, department)
