public enum HandoutsPlaceholder {}
